import fs from 'node:fs';
import WebSocket from 'ws';

/**
 * CPU profile of a running node process over a chosen window, through the
 * inspector protocol (the process runs with --inspect=127.0.0.1:0). Unlike
 * --cpu-prof, which covers the whole life of the process (start-up, logins,
 * shutdown checkpoint), this covers only the measured part of a scenario.
 */

const LISTENING = /Debugger listening on (ws:\/\/[^\s]+)/;

/** The inspector URL a process printed on stderr, or null. */
export function inspectorUrl(output: string): string | null {
  return LISTENING.exec(output)?.[1] ?? null;
}

export class WindowProfiler {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) waiter?.reject(new Error(msg.error.message));
      else waiter?.resolve(msg.result);
    });
  }

  static connect(url: string): Promise<WindowProfiler> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
      ws.once('open', () => resolve(new WindowProfiler(ws)));
      ws.once('error', reject);
    });
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector: no answer to ${method}`)), 60_000);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Starts sampling every `intervalUs` microseconds. */
  async start(intervalUs = 500): Promise<void> {
    await this.call('Profiler.enable');
    await this.call('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.call('Profiler.start');
  }

  /** Stops sampling and writes the .cpuprofile to `file`. */
  async stop(file: string): Promise<void> {
    const result = (await this.call('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(file, JSON.stringify(result.profile));
    this.ws.close();
  }

  close(): void {
    this.ws.terminate();
  }
}
