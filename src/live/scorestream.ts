import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ErrorCode, type ErrorBody } from '../protocol/api.js';
import { SCORESTREAM_PATH } from '../protocol/messages.js';
import type { GameState } from '../state/game-state.js';
import type { Hub } from './hub.js';
import { DEFAULT_SOCKET_CAPS, SocketCaps, type SocketCapRules } from './socket-caps.js';
import type { StreamGrant, StreamTokens } from './stream-tokens.js';

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
  readonly caps?: SocketCapRules;
  /** the client's address (behind a trusted proxy, the one the proxy saw) */
  readonly addressOf?: (req: IncomingMessage) => string;
  /** origins besides the request's own host allowed to open sockets (an app served elsewhere) */
  readonly allowedOrigins?: readonly string[];
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
 * Like other state-changing requests: a browser page from a foreign origin may
 * not open a socket; no Origin (scripts, load tools) relies on the token.
 */
function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const CAP_MESSAGE = { session: ErrorCode.tooManySocketsSession, player: ErrorCode.tooManySocketsPlayer, address: ErrorCode.tooManySocketsAddress } as const;

/**
 * The scorestream on the HTTP port. The token is checked before the upgrade,
 * so an unauthenticated client gets a plain HTTP 401 and never a socket.
 */
export class Scorestream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE, perMessageDeflate: false });
  private accepting = true;
  private readonly caps: SocketCaps;
  private anonymous = 0;

  constructor(private readonly deps: ScorestreamDeps) {
    this.caps = new SocketCaps(deps.caps ?? DEFAULT_SOCKET_CAPS);
  }

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
    if (!originAllowed(req, this.deps.allowedOrigins ?? [])) {
      this.deps.onReject?.(403);
      return refuse(socket, 403, 'Forbidden', ErrorCode.forbiddenOrigin);
    }
    const grant = await this.deps.tokens.verify(url.searchParams.get('token') ?? '');
    const known = grant !== null && (grant.role !== 'player' || this.deps.state.playerById(grant.userId)?.banReason === null);
    if (!grant || !known) {
      this.deps.onReject?.(401);
      return refuse(socket, 401, 'Unauthorized', ErrorCode.unauthorized);
    }
    if (grant.role === 'viewer' && this.deps.hub.count('viewer') >= (this.deps.maxViewers ?? Infinity)) {
      this.deps.onReject?.(503);
      return refuse(socket, 503, 'Service Unavailable', ErrorCode.tooManyViewers);
    }
    if (socket.destroyed) return;
    // Stopping began while the token was checked: a socket opened now would outlive closeAll and hold the server open.
    if (!this.accepting) return refuse(socket, 503, 'Service Unavailable', ErrorCode.unavailable);
    const address = this.deps.addressOf?.(req) ?? req.socket.remoteAddress ?? '';
    // Viewers and admins have no player: each socket counts only against its address (and an admin session).
    const anon = ++this.anonymous;
    const key = grant.role === 'player' ? grant : { userId: -anon, sessionHash: grant.role === 'admin' ? grant.sessionHash : `viewer:${anon}` };
    const slot = this.caps.acquire({ userId: key.userId, sessionHash: key.sessionHash, address });
    if ('exceeded' in slot) {
      this.deps.onReject?.(429);
      return refuse(socket, 429, 'Too Many Requests', CAP_MESSAGE[slot.exceeded]);
    }
    socket.once('close', slot.release);
    this.open(req, socket, head, grant, url.searchParams.get('since'));
  }

  private open(req: IncomingMessage, socket: Duplex, head: Buffer, grant: StreamGrant, sinceParam: string | null): void {
    // The 101 answer and the first messages leave in one write: ws completes the upgrade and calls back synchronously.
    // A storm of reconnects is bounded by system calls (each costs tens of µs on loopback), not by JavaScript.
    socket.cork();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const { state, hub } = this.deps;
      const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : null;
      const viewer = { admin: grant.role === 'admin', userId: grant.role === 'player' ? grant.userId : null };
      const missed = since !== null ? state.resumeJson(since, viewer) : null;
      const first = missed ?? state.snapshotBody((this.deps.now ?? Date.now)(), grant.role === 'admin' ? 'admin' : 'public');
      ws.send(first, { binary: false });
      if (missed !== null && since !== null) {
        // A resume answer: the missed events, the rows repriced since, then the current clock (SPEC §4).
        const board = state.resumeBoardJson(since, (this.deps.now ?? Date.now)(), viewer);
        if (board !== null) ws.send(board, { binary: false });
        if (this.deps.clockJson) ws.send(this.deps.clockJson(), { binary: false });
      }
      hub.add(ws, socket, grant.userId, grant.sessionHash, state.lastEventId, grant.role);
    });
    socket.uncork();
  }

  close(): void {
    this.wss.close();
  }
}
