import http from 'node:http';

/**
 * Reads ctfg's Prometheus /metrics (open to loopback). The server's own
 * event-loop delay is there (prom-client resets its histogram at every
 * scrape), which separates server stalls from load-generator stalls.
 */
export async function scrapeMetrics(host: string, port: number): Promise<Map<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = http.get({ host, port, path: '/metrics', timeout: 10_000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`/metrics answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('/metrics did not answer in 10 s')));
  });
  return parseMetrics(text);
}

/** `name{labels} value` lines → map from `name{labels}` to value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (space > 0 && Number.isFinite(value)) out.set(line.slice(0, space), value);
  }
  return out;
}

export interface ServerLoop {
  /** event-loop delay of the server over the window since the previous scrape, ms */
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

/** The event-loop figures of one scrape (prefix `ctfg_`); NaN when absent. */
export function serverLoop(m: ReadonlyMap<string, number>): ServerLoop {
  const ms = (name: string): number => (m.get(`ctfg_nodejs_eventloop_lag_${name}_seconds`) ?? NaN) * 1000;
  return { lagP50Ms: ms('p50'), lagP99Ms: ms('p99'), lagMaxMs: ms('max') };
}

/** Best effort: a server without /metrics must not break a scenario. */
export async function tryScrape(host: string, port: number): Promise<Map<string, number>> {
  try {
    return await scrapeMetrics(host, port);
  } catch {
    return new Map();
  }
}
