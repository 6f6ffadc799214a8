import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, type ResetMessage } from '../protocol/messages.js';
import { isOwner } from '../state/event-log.js';
import { batchWindow, JoinRate, type WindowOptions } from './batch-window.js';
import { textFrame } from './text-frame.js';

export interface HubOptions extends WindowOptions {
  /** seconds between server pings; 0 disables pings */
  readonly keepaliveSeconds: number;
  /** seconds without any sign of life before a socket is dropped */
  readonly pingTimeoutSeconds: number;
  /** a socket whose unsent bytes pass this is dropped as a slow consumer */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  keepaliveSeconds: 15,
  pingTimeoutSeconds: 45,
  maxBufferedBytes: 1 << 20,
  coalesceMs: 25,
  maxCoalesceMs: 150,
};

/** Sockets written per event-loop turn: a flush to thousands never blocks requests for long. */
const SOCKETS_PER_TURN = 500;

interface Pending {
  readonly id: number;
  readonly json: string;
  /** who may see `ownJson`: the player, or in team mode the team's members */
  readonly owners: number | readonly number[];
  /** non-null for an event during the freeze: only admins (json) and its own player (this) get it */
  readonly ownJson: string | null;
}

/** Who is on a socket: a player, an admin (never frozen), or an anonymous board viewer. */
export type Role = 'player' | 'admin' | 'viewer';

/**
 * Board messages owed after the events flushed now (dynamic scoring moved rows
 * that had no event of their own): one for players and viewers, one for admins.
 */
export type PatchSource = () => { readonly public: string | null; readonly admin: string | null };

export interface HubMetrics {
  /** a batch of `events` was written to `sockets` sockets in `writeMs` */
  onBatch?(events: number, sockets: number, writeMs: number): void;
  onDrop?(reason: 'timeout' | 'slow' | 'protocol'): void;
}

interface Client {
  readonly ws: WebSocket;
  /** the connection under `ws`: batches are written to it already framed (text-frame.ts) */
  readonly socket: Duplex;
  readonly role: Role;
  /** 0 for admins and viewers */
  readonly userId: number;
  readonly sessionHash: string;
  /** the newest event id this client already has (from its first message, or the last snapshot) */
  joinedAt: number;
  /** which second of the keepalive interval this socket is pinged in */
  readonly pingSlot: number;
  lastSeen: number;
}

/**
 * Every open scorestream socket of this instance. Events are coalesced into
 * batches, each serialized once and written to every socket; sockets that
 * stop answering or stop reading are dropped.
 */
export class Hub {
  private readonly clients = new Set<Client>();
  /** the admin sockets among them: the submissions tail goes only to these */
  private readonly admins = new Set<Client>();
  private pending: Pending[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  /** a batch is still being written; the next waits, so every socket sees batches in order */
  private flushing = false;
  /** when the last batch's writing ended, and how long it took */
  private lastFlush = 0;
  private lastFlushMs = 0;
  private readonly keepalive: NodeJS.Timeout;
  /** seconds since start: each second pings the sockets whose `pingSlot` it is */
  private ticks = 0;
  private joined = 0;
  /** how fast sockets are being added: a crowd reconnecting stretches the batching window */
  private readonly joinRate = new JoinRate();
  private patchSource: PatchSource | null = null;

  constructor(
    private readonly options: HubOptions,
    private readonly metrics: HubMetrics = {},
    private readonly now: () => number = Date.now,
  ) {
    this.keepalive = setInterval(() => this.tick(), 1000);
    this.keepalive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Open sockets of one role (viewers are capped and shown in /metrics). */
  count(role: Role): number {
    let n = 0;
    for (const c of this.clients) if (c.role === role) n++;
    return n;
  }

  /** Where the board messages that follow each batch come from. */
  setPatchSource(source: PatchSource): void {
    this.patchSource = source;
  }

  /** Registers a socket that has just been sent its first message covering events up to `joinedAt`. */
  add(ws: WebSocket, socket: Duplex, userId: number, sessionHash: string, joinedAt: number, role: Role = 'player'): void {
    const client: Client = { ws, socket, role, userId, sessionHash, joinedAt, pingSlot: this.joined++, lastSeen: this.now() };
    this.joinRate.note(this.now());
    this.clients.add(client);
    if (role === 'admin') this.admins.add(client);
    const alive = (): void => {
      client.lastSeen = this.now();
    };
    ws.on('pong', alive);
    ws.on('message', (data, isBinary) => {
      alive();
      // The only thing a client may say is "ping" (proxy keep-alive).
      if (isBinary || data.toString() !== 'ping') {
        this.metrics.onDrop?.('protocol');
        ws.close(CloseCode.policy, 'unexpected message');
      }
    });
    ws.on('close', () => this.forget(client));
    ws.on('error', () => {
      this.forget(client);
      ws.terminate();
    });
  }

  /** Queues an event for every socket, or (with `ownJson`) for admins and its own player (team) only. */
  enqueue(id: number, json: string, owners: number | readonly number[] = 0, ownJson: string | null = null): void {
    this.pending.push({ id, json, owners, ownJson });
    this.schedule();
  }

  private window(): number {
    return batchWindow(this.options, this.clients.size, this.lastFlushMs, this.joinRate.recent(this.now()));
  }

  private schedule(): void {
    if (this.flushTimer || this.flushing || this.pending.length === 0) return;
    const wait = Math.max(0, this.lastFlush + this.window() - this.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Starts writing the pending batch; `all` writes every socket now (shutdown). */
  flush(all = false): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.flushing || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const began = this.now();
    const bodies = new BatchBodies(batch, this.patchSource?.() ?? null);
    const targets = [...this.clients];
    this.flushing = true;
    let sent = 0;
    const writeFrom = (start: number): void => {
      const end = all ? targets.length : Math.min(targets.length, start + SOCKETS_PER_TURN);
      for (let i = start; i < end; i++) {
        const c = targets[i] as Client;
        const body = bodies.for(c);
        if (body !== null) {
          this.send(c, body);
          sent++;
        }
        // After the events it follows; a socket that joined later has these rows in its snapshot.
        const patch = bodies.patchFor(c);
        if (patch !== null) this.send(c, patch);
      }
      if (end < targets.length) {
        setImmediate(() => writeFrom(end));
        return;
      }
      this.flushing = false;
      this.lastFlush = this.now();
      this.lastFlushMs = this.lastFlush - began;
      this.metrics.onBatch?.(batch.length, sent, this.lastFlushMs);
      this.schedule();
    };
    writeFrom(0);
  }

  /** Writes one framed message; ws's own writes (first message, pings, close) go to the same socket in call order. */
  private send(c: Client, frame: Buffer): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.socket.writableLength + frame.length > this.options.maxBufferedBytes) {
      // A consumer that cannot keep up would make us buffer without bound.
      this.metrics.onDrop?.('slow');
      this.drop(c);
      return;
    }
    c.socket.write(frame);
  }

  private forget(c: Client): void {
    this.clients.delete(c);
    this.admins.delete(c);
  }

  private drop(c: Client): void {
    this.forget(c);
    c.ws.terminate();
  }

  /**
   * Every second: drops sockets silent past the timeout, and pings one
   * keepalive-th of them (each socket once per interval). Pinging 10,000
   * sockets at once held the loop for over half a second every interval;
   * spread out, it is a few hundred writes a second.
   */
  private tick(): void {
    const { keepaliveSeconds, pingTimeoutSeconds } = this.options;
    const deadline = this.now() - pingTimeoutSeconds * 1000;
    const slot = keepaliveSeconds > 0 ? this.ticks++ % keepaliveSeconds : -1;
    for (const c of this.clients) {
      if (c.lastSeen < deadline) {
        this.metrics.onDrop?.('timeout');
        this.drop(c);
      } else if (c.pingSlot % keepaliveSeconds === slot && c.ws.readyState === c.ws.OPEN) {
        c.ws.ping();
      }
    }
  }

  /** A system or announcement message for every socket, now (not batched: it is rare). */
  broadcast(json: string): void {
    const frame = textFrame(json);
    for (const c of this.clients) this.send(c, frame);
  }

  /**
   * Board rows that changed outside any batch (a team row lists a renamed
   * member), sent now. While a batch is queued or being written it carries
   * them after its events instead: a row sent ahead of events it already
   * counts would have them counted twice.
   */
  sendPatch(): void {
    if (this.flushing || this.pending.length > 0 || !this.patchSource) return;
    const patches = patchBuffers(this.patchSource());
    for (const c of this.clients) {
      const patch = c.role === 'admin' ? patches.admin : patches.public;
      if (patch !== null) this.send(c, patch);
    }
  }

  /** The sessions (or Bearer organizers) of the open admin sockets. */
  adminSessions(): Set<string> {
    return new Set([...this.admins].map((c) => c.sessionHash));
  }

  /** Open admin sockets on this instance. */
  get adminCount(): number {
    return this.admins.size;
  }

  /** Messages for admin sockets only (the submissions tail), now, each as its own message. */
  sendToAdmins(jsons: readonly string[]): void {
    for (const json of jsons) {
      const frame = textFrame(json);
      for (const c of this.admins) this.send(c, frame);
    }
  }

  /**
   * A fresh snapshot to every socket (reveal, new freeze): one body per role;
   * events up to `lastId` still queued are then skipped for these sockets.
   */
  broadcastSnapshot(lastId: number, body: (role: Role) => Buffer): void {
    const bodies = new Map<Role, Buffer>();
    for (const c of this.clients) {
      let b = bodies.get(c.role);
      if (!b) bodies.set(c.role, (b = textFrame(body(c.role))));
      c.joinedAt = Math.max(c.joinedAt, lastId);
      this.send(c, b);
    }
  }

  /** Logout: that session's sockets close. */
  closeSession(sessionHash: string): void {
    for (const c of this.clients) if (c.sessionHash === sessionHash) c.ws.close(CloseCode.loggedOut, 'logged out');
  }

  /** A banned player: every socket of theirs closes as if logged out. */
  closeUser(userId: number): void {
    for (const c of this.clients) if (c.role === 'player' && c.userId === userId) c.ws.close(CloseCode.loggedOut, 'logged out');
  }

  /** Admin reset: tell everyone, then close every socket within a second. */
  broadcastReset(message: ResetMessage): void {
    this.pending = [];
    const payload = Buffer.from(JSON.stringify(message));
    const closing = [...this.clients];
    this.clients.clear();
    this.admins.clear();
    for (const c of closing) {
      if (c.ws.readyState === c.ws.OPEN) c.ws.send(payload, { binary: false });
      c.ws.close(CloseCode.reset, 'game reset');
    }
    const killer = setTimeout(() => {
      for (const c of closing) if (c.ws.readyState !== c.ws.CLOSED) c.ws.terminate();
    }, 900);
    killer.unref();
  }

  /** Shutdown: flush what is pending, then close everything with "going away". */
  closeAll(): void {
    this.flush(true);
    clearInterval(this.keepalive);
    for (const c of this.clients) c.ws.close(CloseCode.goingAway, 'server shutting down');
    this.clients.clear();
    this.admins.clear();
  }
}

/** A batch's board messages as bytes; the admin one is the public one when they are equal. */
function patchBuffers(patches: ReturnType<PatchSource> | null): { readonly public: Buffer | null; readonly admin: Buffer | null } {
  const publicPatch = patches?.public ? textFrame(patches.public) : null;
  const admin = patches?.admin ? (patches.admin === patches.public ? publicPatch : textFrame(patches.admin)) : null;
  return { public: publicPatch, admin };
}

/**
 * The bodies of one batch: one serialization for players and viewers (the
 * events everyone may see), one for admins (all of them); only a player who
 * has an event of their own during the freeze, or a socket that joined while
 * the batch was pending, gets a body of its own.
 */
class BatchBodies {
  private readonly first: number;
  private readonly last: number;
  private readonly owners: ReadonlySet<number>;
  private publicBody: Buffer | null | undefined;
  private adminBody: Buffer | undefined;
  private readonly publicPatch: Buffer | null;
  private readonly adminPatch: Buffer | null;

  constructor(
    private readonly batch: readonly Pending[],
    patches: ReturnType<PatchSource> | null,
  ) {
    this.first = (batch[0] as Pending).id;
    this.last = (batch[batch.length - 1] as Pending).id;
    this.owners = new Set(batch.filter((e) => e.ownJson !== null).flatMap((e) => (typeof e.owners === 'number' ? [e.owners] : e.owners)));
    ({ public: this.publicPatch, admin: this.adminPatch } = patchBuffers(patches));
  }

  patchFor(c: Client): Buffer | null {
    if (c.joinedAt >= this.last) return null;
    return c.role === 'admin' ? this.adminPatch : this.publicPatch;
  }

  private build(c: Client, after: number): Buffer | null {
    const parts: string[] = [];
    for (const e of this.batch) {
      if (e.id <= after) continue;
      if (c.role === 'admin' || e.ownJson === null) parts.push(e.json);
      else if (c.role === 'player' && isOwner(e.owners, c.userId)) parts.push(e.ownJson);
    }
    return parts.length > 0 ? textFrame(`[${parts.join(',')}]`) : null;
  }

  for(c: Client): Buffer | null {
    if (c.joinedAt >= this.last) return null;
    // Joined while this batch was pending: send only what its first message lacked.
    if (c.joinedAt >= this.first || (c.role === 'player' && this.owners.has(c.userId))) return this.build(c, c.joinedAt);
    if (c.role === 'admin') return (this.adminBody ??= this.build(c, 0) as Buffer);
    if (this.publicBody === undefined) this.publicBody = this.build(c, 0);
    return this.publicBody;
  }
}
