import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A minimal WebSocket client (RFC 6455) for the socket workers: one worker
 * holds thousands of sockets that each receive tens of messages a second, and
 * the `ws` client's per-message machinery (stream writes, event emitters,
 * copies) made the load generator, not the server, the bottleneck on two
 * cores. This one parses unmasked server frames straight out of the socket's
 * chunks and hands each message over as a Buffer; it answers pings and closes,
 * and nothing else (no extensions, no sending beyond control frames).
 */

export interface LiteSocketHandlers {
  /** a complete text or binary message */
  onMessage(data: Buffer): void;
  /** the handshake was refused or the connection failed before opening */
  onError(err: Error): void;
  /** the connection ended after opening (by either side) */
  onClose(): void;
}

const OP_CONTINUATION = 0x0;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const MAX_MESSAGE = 64 * 2 ** 20;

/** A masked client frame (clients must mask). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error('control frames carry at most 125 bytes');
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return frame;
}

export class LiteSocket {
  private readonly socket: net.Socket;
  private open = false;
  private ended = false;
  private pending: Buffer | null = null;
  private fragments: Buffer[] = [];

  constructor(url: string, private readonly handlers: LiteSocketHandlers, timeoutMs = 30_000) {
    const u = new URL(url);
    if (u.protocol !== 'ws:') throw new Error(`only ws:// URLs: ${url}`);
    const key = randomBytes(16).toString('base64');
    this.socket = net.connect({ host: u.hostname, port: Number(u.port || 80), noDelay: true });
    this.socket.setTimeout(timeoutMs);
    this.socket.once('connect', () => {
      this.socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('timeout', () => {
      // Only the handshake is timed; an open socket may be quiet for long.
      if (!this.open) this.socket.destroy(new Error(`no handshake answer in ${timeoutMs} ms`));
    });
    this.socket.on('error', (err) => this.finish(err));
    this.socket.on('close', () => this.finish(null));
  }

  get isOpen(): boolean {
    return this.open && !this.ended;
  }

  /** Drops the connection at once (like ws.terminate()). */
  terminate(): void {
    this.socket.destroy();
  }

  /** A polite close frame, then the end of the connection. */
  close(): void {
    if (this.isOpen) this.socket.end(clientFrame(OP_CLOSE, Buffer.from([0x03, 0xe8])));
    else this.socket.destroy();
  }

  private finish(err: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.destroy();
    if (this.open) this.handlers.onClose();
    else this.handlers.onError(err ?? new Error('connection closed during the handshake'));
  }

  private onData(chunk: Buffer): void {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    if (!this.open) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        this.pending = buf;
        return;
      }
      const head = buf.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) {
        this.socket.destroy(new Error(`handshake refused: ${head.split('\r\n')[0] ?? ''}`));
        return;
      }
      this.open = true;
      this.socket.setTimeout(0);
      buf = buf.subarray(end + 4);
    }
    let at = 0;
    while (!this.ended) {
      if (buf.length - at < 2) break;
      const b0 = buf[at] as number;
      const b1 = buf[at + 1] as number;
      let len = b1 & 0x7f;
      let offset = 2;
      if (b1 & 0x80) return void this.socket.destroy(new Error('the server sent a masked frame'));
      if (len === 126) {
        if (buf.length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        offset = 4;
      } else if (len === 127) {
        if (buf.length - at < 10) break;
        len = Number(buf.readBigUInt64BE(at + 2));
        offset = 10;
      }
      if (len > MAX_MESSAGE) return void this.socket.destroy(new Error(`frame of ${len} bytes`));
      if (buf.length - at < offset + len) break;
      const payload = buf.subarray(at + offset, at + offset + len);
      at += offset + len;
      this.onFrame(b0 & 0x0f, (b0 & 0x80) !== 0, payload);
    }
    if (at < buf.length) this.pending = Buffer.from(buf.subarray(at));
  }

  private onFrame(opcode: number, fin: boolean, payload: Buffer): void {
    if (opcode >= 0x8) {
      if (opcode === OP_PING) this.socket.write(clientFrame(0xa, payload));
      else if (opcode === OP_CLOSE) this.socket.end(clientFrame(OP_CLOSE, payload.subarray(0, 2)));
      return; // pong: nothing to do
    }
    if (!fin || (opcode === OP_CONTINUATION && this.fragments.length > 0)) {
      this.fragments.push(Buffer.from(payload));
      if (!fin) return;
      const whole = Buffer.concat(this.fragments);
      this.fragments = [];
      this.handlers.onMessage(whole);
      return;
    }
    this.handlers.onMessage(payload);
  }
}
