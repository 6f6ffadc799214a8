import WebSocket from 'ws';
import { z } from 'zod';
import type { LiveEvent, ServerMessage, SnapshotMessage, StreamEvent } from '../../src/protocol/messages.js';
import type { Recorder } from './metrics.js';
import { StepError } from './http-client.js';

/** SPEC §4: the first message is an object with these fields (the rest is free for the server to add). */
const snapshotSchema = z.object({
  type: z.literal('snapshot'),
  last_id: z.number().int(),
  ts: z.number(),
  standings: z.array(z.unknown()),
  top: z.array(z.unknown()),
});

export interface ScoreStreamOptions {
  readonly url: string;
  readonly recorder: Recorder;
  readonly player: string;
  /** our own display name: live events are matched on it */
  readonly displayname: string;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

interface Waiter {
  readonly sentAt: number;
  readonly resolve: (latencyMs: number) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One browser's scorestream: checks the snapshot, then watches the live events
 * for this player's own solves. An event can arrive before the submit's HTTP
 * response does, so arrivals are remembered and matched when the solve is
 * registered, in either order. Pings are answered by `ws` itself.
 */
export class ScoreStream {
  private readonly arrivals = new Map<number, number>();
  private readonly waiters = new Map<number, Waiter>();
  private closedByUs = false;
  private failure: Error | null = null;
  /** our name as it appears inside the JSON of an event */
  private readonly needle: string;
  /** id of the newest event seen (from the snapshot, then from events that concern us) */
  lastId = 0;

  private constructor(
    private readonly ws: WebSocket,
    private readonly options: ScoreStreamOptions,
  ) {
    this.needle = JSON.stringify(options.displayname);
  }

  /** Connects, times the handshake and resolves once a valid snapshot has arrived. */
  static connect(options: ScoreStreamOptions): Promise<ScoreStream> {
    const { recorder, player } = options;
    const label = 'WS /scorestream';
    const started = recorder.now();
    const ws = new WebSocket(options.url, { perMessageDeflate: false, handshakeTimeout: options.timeoutMs });
    const stream = new ScoreStream(ws, options);
    return new Promise<ScoreStream>((resolve, reject) => {
      // connecting → live (resolved) or dead (rejected); later socket events belong to the live stream only.
      let phase: 'connecting' | 'live' | 'dead' = 'connecting';
      let opened = false;
      const fail = (message: string, status = 0): void => {
        if (phase !== 'connecting') return;
        phase = 'dead';
        cleanup();
        if (!opened) recorder.recordRequest({ label, status, ms: recorder.now() - started, bytes: 0, ok: false });
        recorder.recordError(player, 'scorestream', message);
        stream.closedByUs = true;
        ws.terminate();
        reject(new StepError(message, true));
      };
      const timer = setTimeout(() => fail('scorestream: no snapshot within the request timeout'), options.timeoutMs);
      const onAbort = (): void => fail('scorestream: stopped by --duration');
      options.signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = (): void => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
      };
      ws.on('unexpected-response', (_req, res) => fail(`scorestream: handshake refused with HTTP ${res.statusCode ?? 0}`, res.statusCode ?? 0));
      ws.once('open', () => {
        opened = true;
        const ms = recorder.now() - started;
        recorder.recordRequest({ label, status: 101, ms, bytes: 0, ok: true });
        recorder.recordWsConnect(ms);
      });
      ws.on('message', (data) => {
        if (phase === 'live') return stream.onMessage(data);
        if (phase !== 'connecting') return;
        const parsed = snapshotSchema.safeParse(safeJson(data.toString()));
        if (!parsed.success) return fail('scorestream: first message is not a {"type":"snapshot"} object with last_id, ts, standings, top');
        phase = 'live';
        cleanup();
        stream.lastId = (parsed.data as SnapshotMessage).last_id;
        resolve(stream);
      });
      ws.on('error', (err) => (phase === 'live' ? stream.fail(`scorestream: ${err.message}`) : fail(`scorestream: ${err.message}`)));
      ws.on('close', (code) => {
        if (phase === 'live') {
          if (!stream.closedByUs) stream.fail(`scorestream closed by the server (code ${code})`);
        } else fail(`scorestream: closed before the snapshot (code ${code})`);
      });
    });
  }

  /**
   * Resolves with solve-to-delivery latency (event received − submit sent) once
   * the event for `challengeId` arrives; rejects after `timeoutMs` from `sentAt`.
   */
  expectSolve(challengeId: number, sentAt: number, timeoutMs: number): Promise<number> {
    const arrived = this.arrivals.get(challengeId);
    if (arrived !== undefined) return Promise.resolve(arrived - sentAt);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<number>((resolve, reject) => {
      const remaining = Math.max(0, sentAt + timeoutMs - this.options.recorder.now());
      const timer = setTimeout(() => {
        this.waiters.delete(challengeId);
        reject(new StepError(`solve of challenge ${challengeId} not seen on the scorestream within ${timeoutMs} ms`, false));
      }, remaining);
      this.waiters.set(challengeId, { sentAt, resolve, reject, timer });
    });
  }

  close(): void {
    this.closedByUs = true;
    for (const w of this.waiters.values()) clearTimeout(w.timer);
    this.waiters.clear();
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'emulation finished');
    else this.ws.terminate();
  }

  private onMessage(data: WebSocket.RawData): void {
    const now = this.options.recorder.now();
    const text = data.toString();
    // Every socket receives every player's events; with hundreds of sockets in one process, parsing
    // batches that cannot mention us would make the emulator, not the server, the bottleneck.
    if (text.startsWith('[') && !text.includes(this.needle)) return;
    const message = safeJson(text) as ServerMessage | undefined;
    // Array.isArray does not narrow a readonly array out of a union, hence the explicit casts.
    if (Array.isArray(message)) {
      for (const event of message as readonly StreamEvent[]) if (event.type === 'score' || event.type === 'hint') this.onEvent(event, now);
      return;
    }
    const object = message as Exclude<ServerMessage, readonly StreamEvent[]> | undefined;
    if (object?.type === 'system') this.fail(`scorestream: server sent system event "${object.event}" during the run`);
    else this.fail('scorestream: unexpected message (neither an event array nor a system object)');
  }

  private onEvent(event: LiveEvent, now: number): void {
    if (typeof event.id === 'number' && event.id > this.lastId) this.lastId = event.id;
    if (event.type !== 'score' || event.displayname !== this.options.displayname) return;
    if (!this.arrivals.has(event.challenge_id)) this.arrivals.set(event.challenge_id, now);
    const waiter = this.waiters.get(event.challenge_id);
    if (waiter) {
      clearTimeout(waiter.timer);
      this.waiters.delete(event.challenge_id);
      waiter.resolve(now - waiter.sentAt);
    }
  }

  /** A broken stream fails every pending confirmation at once instead of letting each time out. */
  private fail(message: string): void {
    if (this.failure || this.closedByUs) return;
    this.failure = new StepError(message, true);
    this.options.recorder.recordError(this.options.player, 'scorestream', message);
    for (const w of this.waiters.values()) {
      clearTimeout(w.timer);
      w.reject(this.failure);
    }
    this.waiters.clear();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
