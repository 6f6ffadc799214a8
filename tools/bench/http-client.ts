import net from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A deliberately small HTTP/1.1 keep-alive client over one TCP connection:
 * pre-built request bytes in, status + body out, one request at a time (no
 * pipelining). node:http costs several times more CPU per request, and on a
 * two-core machine the load generator shares the cores with the server under
 * test, so a lean client keeps the measurement about the server.
 * Only what ctfg and the floor send is understood: Content-Length bodies.
 */

export interface RawResponse {
  readonly status: number;
  /** header block (without the status line), lower-cased names as sent */
  readonly head: string;
  /** the body, when it was kept (see RequestOptions.keepBody) */
  readonly body: string | null;
  readonly bodyBytes: number;
  /** performance.now() when the request was written and when the response was complete */
  readonly sentAt: number;
  readonly doneAt: number;
}

export interface RequestOptions {
  /** keep bodies up to this many bytes (default 64 KiB); larger ones are only counted */
  readonly keepBodyUpTo?: number;
  /** called with performance.now() right after the request was handed to the socket */
  readonly onWrite?: (at: number) => void;
}

interface Pending {
  readonly bytes: Buffer;
  readonly options: RequestOptions;
  resolve(res: RawResponse): void;
  reject(err: Error): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const TIMEOUT_MS = 30_000;

export function buildRequest(
  method: 'GET' | 'POST',
  path: string,
  host: string,
  options: { cookie?: string; json?: unknown; headers?: Record<string, string> } = {},
): Buffer {
  const body = options.json === undefined ? '' : JSON.stringify(options.json);
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\nAccept: application/json\r\n`;
  if (options.cookie) head += `Cookie: ${options.cookie}\r\n`;
  for (const [k, v] of Object.entries(options.headers ?? {})) head += `${k}: ${v}\r\n`;
  if (method === 'POST') head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
  return Buffer.from(`${head}\r\n${body}`);
}

export class RawConnection {
  private socket: net.Socket | null = null;
  private connecting: Promise<net.Socket> | null = null;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private sentAt = 0;
  private headChunks: Buffer[] = [];
  private status = 0;
  private head = '';
  private bodyLength = -1;
  private bodyRead = 0;
  private bodyChunks: Buffer[] | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  get busy(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  request(bytes: Buffer, options: RequestOptions = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, options, resolve, reject });
      if (!this.current) void this.pump();
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): Promise<net.Socket> {
    this.connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: this.host, port: this.port, noDelay: true });
      s.setTimeout(TIMEOUT_MS);
      s.once('connect', () => {
        this.socket = s;
        this.connecting = null;
        resolve(s);
      });
      s.on('data', (chunk: Buffer) => this.onData(chunk));
      s.on('timeout', () => s.destroy(new Error(`no answer from ${this.host}:${this.port} in ${TIMEOUT_MS} ms`)));
      const fail = (err?: Error): void => {
        if (this.socket === s) this.socket = null;
        if (this.connecting) {
          this.connecting = null;
          reject(err ?? new Error('connection closed while connecting'));
        }
        this.failCurrent(err ?? new Error('connection closed by the server'));
      };
      s.on('error', fail);
      s.on('close', () => fail());
    });
    return this.connecting;
  }

  private async pump(): Promise<void> {
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    let socket: net.Socket;
    try {
      socket = this.socket ?? (await this.open());
    } catch (err) {
      this.failCurrent(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.headChunks = [];
    this.bodyLength = -1;
    this.bodyRead = 0;
    this.bodyChunks = null;
    socket.write(next.bytes);
    this.sentAt = performance.now();
    next.options.onWrite?.(this.sentAt);
  }

  private failCurrent(err: Error): void {
    const c = this.current;
    this.current = null;
    if (c) c.reject(err);
    if (this.queue.length > 0) void this.pump();
  }

  private onData(chunk: Buffer): void {
    const c = this.current;
    if (!c) {
      this.socket?.destroy(new Error('unexpected data from the server'));
      return;
    }
    if (this.bodyLength < 0) {
      this.headChunks.push(chunk);
      const all = this.headChunks.length === 1 ? chunk : Buffer.concat(this.headChunks);
      const end = all.indexOf(HEADER_END);
      if (end < 0) {
        this.headChunks = [all];
        return;
      }
      const headText = all.subarray(0, end).toString('latin1');
      const lineEnd = headText.indexOf('\r\n');
      this.status = Number(headText.slice(9, 12));
      this.head = lineEnd < 0 ? '' : headText.slice(lineEnd + 2);
      const length = /(?:^|\r\n)content-length:\s*(\d+)/i.exec(this.head);
      if (!length) {
        this.socket?.destroy(new Error(`response without Content-Length (status ${this.status}): this client does not read chunked bodies`));
        return;
      }
      this.bodyLength = Number(length[1]);
      const keep = c.options.keepBodyUpTo ?? 65_536;
      this.bodyChunks = this.bodyLength <= keep ? [] : null;
      chunk = all.subarray(end + 4);
    }
    this.bodyRead += chunk.length;
    if (this.bodyChunks && chunk.length > 0) this.bodyChunks.push(chunk);
    if (this.bodyRead < this.bodyLength) return;
    if (this.bodyRead > this.bodyLength) {
      this.socket?.destroy(new Error('the server sent more than Content-Length'));
      return;
    }
    const body = this.bodyChunks ? Buffer.concat(this.bodyChunks).toString('utf8') : null;
    const res: RawResponse = { status: this.status, head: this.head, body, bodyBytes: this.bodyLength, sentAt: this.sentAt, doneAt: performance.now() };
    this.current = null;
    c.resolve(res);
    if (/(?:^|\r\n)connection:\s*close/i.test(this.head)) this.close();
    if (this.queue.length > 0) void this.pump();
  }
}

/** Cookie value `name=value` from a response's Set-Cookie header, or null. */
export function cookieFrom(head: string, name: string): string | null {
  const re = new RegExp(`(?:^|\\r\\n)set-cookie:\\s*(${name}=[^;\\r\\n]*)`, 'i');
  return re.exec(head)?.[1] ?? null;
}

/**
 * `n` connections spread over several servers like a round-robin load
 * balancer spreads them: connection i goes to ports[i mod ports.length].
 */
export function spreadConnections(host: string, ports: readonly number[], n: number): RawConnection[] {
  if (ports.length === 0) throw new Error('no ports to connect to');
  return Array.from({ length: n }, (_, i) => new RawConnection(host, ports[i % ports.length] as number));
}

/** Opens `n` connections (lazily connected on first request). */
export function connections(host: string, port: number, n: number): RawConnection[] {
  return Array.from({ length: n }, () => new RawConnection(host, port));
}
