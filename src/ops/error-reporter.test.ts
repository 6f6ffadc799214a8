import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sentryReporter } from './error-reporter.js';

describe('sentryReporter', () => {
  it('sends a captured error to the DSN (a local stand-in for Sentry)', async () => {
    const received: Array<{ url: string; body: string }> = [];
    const ingest = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => ingest.listen(0, '127.0.0.1', r));
    const { port } = ingest.address() as AddressInfo;
    try {
      const reporter = await sentryReporter(`http://publickey@127.0.0.1:${port}/42`, '0.0.0-test');
      reporter.capture(new Error('boom in a route'), { route: '/api/submit' });
      await reporter.flush();
      expect(received.length).toBeGreaterThan(0);
      expect(received[0]?.url).toContain('/api/42/envelope/');
      expect(received.map((r) => r.body).join('\n')).toContain('boom in a route');
    } finally {
      ingest.close();
    }
    // Loading the Sentry SDK alone can take seconds on a busy machine; nothing here is timed.
  }, 30_000);
});
