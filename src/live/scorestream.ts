import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ErrorCode, type ErrorBody } from '../protocol/api.js';
import { SCORESTREAM_PATH } from '../protocol/messages.js';
import type { GameState } from '../state/game-state.js';
import type { Hub } from './hub.js';
import type { StreamTokens } from './stream-tokens.js';

export interface ScorestreamDeps {
  readonly state: GameState;
  readonly tokens: StreamTokens;
  readonly hub: Hub;
  readonly now?: () => number;
  readonly onReject?: (status: number) => void;
  /** the current clock message, sent last in every resume answer */
  readonly clockJson?: () => string;
  /** most anonymous board viewers at once on this instance */
  readonly maxViewers?: number;
}

/** Largest message a client may send ("ping" is 4 bytes). */
const MAX_CLIENT_MESSAGE = 64;

function refuse(socket: Duplex, status: number, reason: string, code: ErrorCode): void {
  const answer: ErrorBody = { error: code };
  const body = JSON.stringify(answer);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.destroy();
}

/**
 * The scorestream on the HTTP port. The token is checked before the upgrade,
 * so an unauthenticated client gets a plain HTTP 401 and never a socket.
 */
export class Scorestream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE, perMessageDeflate: false });
  private accepting = true;

  constructor(private readonly deps: ScorestreamDeps) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  stopAccepting(): void {
    this.accepting = false;
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.authorize(req, socket, head).catch(() => refuse(socket, 500, 'Internal Server Error', ErrorCode.internalError));
  }

  private async authorize(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== SCORESTREAM_PATH) return refuse(socket, 404, 'Not Found', ErrorCode.notFound);
    if (!this.accepting) return refuse(socket, 503, 'Service Unavailable', ErrorCode.unavailable);
    const grant = await this.deps.tokens.verify(url.searchParams.get('token') ?? '');
    const known = grant !== null && (grant.role !== 'player' || this.deps.state.playerById(grant.userId) !== undefined);
    if (!grant || !known) {
      this.deps.onReject?.(401);
      return refuse(socket, 401, 'Unauthorized', ErrorCode.unauthorized);
    }
    if (grant.role === 'viewer' && this.deps.hub.count('viewer') >= (this.deps.maxViewers ?? Infinity)) {
      this.deps.onReject?.(503);
      return refuse(socket, 503, 'Service Unavailable', ErrorCode.tooManyViewers);
    }
    if (socket.destroyed) return;
    const sinceParam = url.searchParams.get('since');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const { state, hub } = this.deps;
      const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : null;
      const viewer = { admin: grant.role === 'admin', userId: grant.role === 'player' ? grant.userId : null };
      const missed = since !== null ? state.resumeJson(since, viewer) : null;
      const first = missed ?? state.snapshotBody((this.deps.now ?? Date.now)(), grant.role === 'admin' ? 'admin' : 'public');
      ws.send(first, { binary: false });
      // A resume answer ends with the current clock (SPEC §4); a fresh client reads GET /api/event.
      if (missed !== null && this.deps.clockJson) ws.send(this.deps.clockJson(), { binary: false });
      hub.add(ws, grant.userId, grant.sessionHash, state.lastEventId, grant.role);
    });
  }

  close(): void {
    this.wss.close();
  }
}
