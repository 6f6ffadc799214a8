import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CTFG_SOURCE, freePort, spawnServer } from '../../tools/launch/ctfg-process.js';
import { tempDir } from '../helpers/server.js';

describe('ctfg demo', () => {
  it('serves on the port and address given after the subcommand', async () => {
    const port = await freePort();
    const dir = path.join(tempDir('ctfg-demo-'), 'game');
    const server = await spawnServer({
      name: 'ctfg demo',
      entry: CTFG_SOURCE.entry,
      nodeArgs: [...CTFG_SOURCE.nodeArgs],
      args: ['demo', dir, '-p', String(port), '--host', '127.0.0.1'],
      port,
      readyPath: '/readyz',
    });
    try {
      // Ready can answer before the child's log line has crossed its pipe (seen under load in CI).
      await vi.waitFor(() => expect(server.output()).toContain(`serving http://127.0.0.1:${port}`), { timeout: 10_000, interval: 50 });
      expect((await fetch(`${server.url}/api/config`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
