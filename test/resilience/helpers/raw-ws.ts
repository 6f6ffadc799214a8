import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A scorestream client on a bare TCP socket: it completes the WebSocket
 * handshake and then does exactly what a test tells it — nothing. It never
 * answers pings (a zombie) and, once paused, never reads (a slow reader).
 */
export class RawWebSocket {
  /** bytes received after the handshake */
  bytes = 0;
  /** the bytes themselves, when kept (`open(…, { keep: true })`) */
  readonly chunks: Buffer[] = [];
  closedAt: number | null = null;
  private readonly closed: Promise<number>;

  private constructor(
    readonly socket: net.Socket,
    readonly openedAt: number,
  ) {
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.closedAt = Date.now();
        resolve(this.closedAt);
      });
    });
    socket.on('error', () => undefined);
  }

  /** Connects and completes the handshake for `pathAndQuery` (e.g. `/scorestream?token=…`). */
  static open(port: number, pathAndQuery: string, options: { keep?: boolean; timeoutMs?: number } = {}): Promise<RawWebSocket> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('handshake timed out'));
      }, timeoutMs);
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        socket.off('data', onData);
        const status = head.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        if (!/^HTTP\/1\.1 101/.test(status)) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${status}`));
          return;
        }
        const ws = new RawWebSocket(socket, Date.now());
        const rest = head.subarray(end + 4);
        ws.bytes = rest.length;
        if (options.keep) ws.chunks.push(rest);
        socket.on('data', (c: Buffer) => {
          ws.bytes += c.length;
          if (options.keep) ws.chunks.push(c);
        });
        resolve(ws);
      };
      socket.on('data', onData);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.write(
        `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** Stops reading: the kernel buffers fill and the server's writes back up. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Resolves with the close time, or null after `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<number | null> {
    return Promise.race([this.closed, new Promise<null>((r) => setTimeout(() => r(null), timeoutMs).unref())]);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The path and query of a websocket_url. */
export function streamPath(websocketUrl: string): string {
  const u = new URL(websocketUrl);
  return `${u.pathname}${u.search}`;
}

/** Bytes a server sends for one unmasked WebSocket text frame of `payload` bytes. */
export function frameBytes(payload: number): number {
  return payload + (payload < 126 ? 2 : payload < 65_536 ? 4 : 10);
}

/** The payload length of the first frame in `data`. */
export function firstFramePayload(data: Buffer): number {
  const len = (data[1] ?? 0) & 0x7f;
  if (len < 126) return len;
  if (len === 126) return data.readUInt16BE(2);
  return Number(data.readBigUInt64BE(2));
}
