import net from 'node:net';
import { parseResponse, type RawResponse } from './raw-http.js';

export type Outcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  /** the connection died after the request was written: reset, or closed without an answer */
  | { readonly kind: 'reset'; readonly detail: string }
  /** a new connection was refused (nothing listening) */
  | { readonly kind: 'refused' };

export interface Sample {
  /** when the request's last byte was handed to the kernel (ms, Date.now) */
  readonly writtenAt: number;
  readonly outcome: Outcome;
}

/**
 * One persistent HTTP/1.1 connection, one request at a time, with exact
 * bookkeeping of when each request was written and what became of it. When
 * the server closed the idle connection, the next request opens a new one
 * (what every keep-alive client does), so a refusal is told apart from a reset.
 */
export class KeepAliveConnection {
  private socket: net.Socket | null = null;
  private ended = true;
  private buffer = Buffer.alloc(0);
  private waiter: ((o: Outcome) => void) | null = null;

  constructor(private readonly port: number) {}

  private connect(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: this.port });
      s.setNoDelay(true);
      let connected = false;
      s.once('connect', () => {
        connected = true;
        this.socket = s;
        this.ended = false;
        this.buffer = Buffer.alloc(0);
        resolve(true);
      });
      s.on('data', (c: Buffer) => {
        this.buffer = Buffer.concat([this.buffer, c]);
        this.tryComplete();
      });
      s.on('end', () => {
        this.ended = true;
        this.fail('closed without an answer');
      });
      s.on('error', (err: NodeJS.ErrnoException) => {
        this.ended = true;
        if (!connected) return resolve(false);
        this.fail(err.code ?? err.message);
      });
      s.on('close', () => {
        this.ended = true;
        this.fail('closed without an answer');
      });
    });
  }

  private fail(detail: string): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = null;
    w({ kind: 'reset', detail });
  }

  private tryComplete(): void {
    if (!this.waiter) return;
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < headEnd + 4 + length) return;
    const res: RawResponse = parseResponse(this.buffer.subarray(0, headEnd + 4 + length));
    this.buffer = this.buffer.subarray(headEnd + 4 + length);
    const w = this.waiter;
    this.waiter = null;
    w({ kind: 'response', status: res.status, body: res.text });
    if (/\r\nconnection:\s*close/i.test(head)) {
      this.ended = true;
      this.socket?.destroy();
    }
  }

  /** Sends one request (a full HTTP/1.1 message without Connection: close). */
  async send(request: Buffer): Promise<Sample> {
    if (this.ended || !this.socket) {
      if (!(await this.connect())) return { writtenAt: Date.now(), outcome: { kind: 'refused' } };
    }
    const socket = this.socket as net.Socket;
    let writtenAt = 0;
    const outcome = await new Promise<Outcome>((resolve) => {
      this.waiter = resolve;
      socket.write(request, () => {
        writtenAt = Date.now();
      });
      this.tryComplete();
    });
    return { writtenAt: writtenAt || Date.now(), outcome };
  }

  close(): void {
    this.socket?.destroy();
    this.ended = true;
  }
}

/** A keep-alive request (no Connection: close). */
export function keepAliveRequest(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Buffer {
  const b = body === undefined ? '' : body;
  const all: Record<string, string> = { host: `127.0.0.1:${port}`, ...headers };
  if (body !== undefined) all['content-length'] = String(Buffer.byteLength(b));
  return Buffer.from(`${method} ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${b}`);
}
