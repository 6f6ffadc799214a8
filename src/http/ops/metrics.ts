import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one instance, on their own registry (no global state). */
export class Metrics {
  readonly registry = new Registry();
  private readonly requestSeconds = new Histogram({
    name: 'ctfg_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly solves = new Counter({ name: 'ctfg_solves_total', help: 'Solves recorded by this instance', registers: [this.registry] });
  private readonly limited = new Counter({
    name: 'ctfg_rate_limited_total',
    help: 'Requests refused by a rate limit',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });
  private readonly batchEvents = new Histogram({
    name: 'ctfg_broadcast_batch_events',
    help: 'Events per scorestream broadcast batch',
    buckets: [1, 2, 5, 10, 20, 50, 100, 500],
    registers: [this.registry],
  });
  private readonly batchWriteSeconds = new Histogram({
    name: 'ctfg_broadcast_write_seconds',
    help: 'Time to write one broadcast batch to every scorestream socket (a socket waits for up to one batching window plus this)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly drops = new Counter({
    name: 'ctfg_socket_drops_total',
    help: 'Scorestream sockets dropped by the server',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(openSockets: () => number, viewerSockets: () => number = () => 0) {
    new Gauge({
      name: 'ctfg_open_viewer_sockets',
      help: 'Open scorestream sockets of anonymous board viewers (also counted in ctfg_open_sockets)',
      registers: [this.registry],
      collect() {
        this.set(viewerSockets());
      },
    });
    new Gauge({
      name: 'ctfg_open_sockets',
      help: 'Open scorestream sockets',
      registers: [this.registry],
      collect() {
        this.set(openSockets());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'ctfg_' });
  }

  // Label sets are few (routes × statuses); resolving one per request showed in profiles.
  private readonly requestChildren = new Map<string, { observe(v: number): void }>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.requestChildren.get(key);
    if (!child) this.requestChildren.set(key, (child = this.requestSeconds.labels(method, route, String(status))));
    child.observe(seconds);
  }

  solve(): void {
    this.solves.inc();
  }

  rateLimited(endpoint: string): void {
    this.limited.inc({ endpoint });
  }

  batch(events: number, writeMs: number): void {
    this.batchEvents.observe(events);
    this.batchWriteSeconds.observe(writeMs / 1000);
  }

  drop(reason: string): void {
    this.drops.inc({ reason });
  }
}
