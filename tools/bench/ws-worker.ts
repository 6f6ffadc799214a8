/**
 * A socket worker: holds a share of the scorestream sockets on its own
 * thread (one Node thread cannot read thousands of busy sockets without
 * becoming the bottleneck itself), timestamps every delivery, and checks that
 * each socket saw every event exactly once. Driven by fleet.ts; the sockets
 * are ws-lite.ts connections (cheaper per message than the ws client).
 */
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort } from 'node:worker_threads';
import { backoffDelay } from '../../web/src/live/backoff.js';
import type { Check, FromWorker, ToWorker } from './fleet-protocol.js';
import { LogHistogram } from './stats.js';
import { LiteSocket } from './ws-lite.js';

const port = parentPort;
if (!port) throw new Error('ws-worker.ts runs as a worker thread');

const now = (): number => performance.timeOrigin + performance.now();

type Parsed =
  | { readonly kind: 'snapshot'; readonly lastId: number }
  | { readonly kind: 'events'; readonly ids: readonly number[]; readonly keys: readonly string[] }
  | { readonly kind: 'other' };

interface Sock {
  readonly url: string;
  /** the ctfg instance it is connected to */
  readonly lane: number;
  ws: LiteSocket | null;
  /** last_id of the very first snapshot; -1 until known */
  baseline: number;
  /** newest event id seen, for &since= */
  lastId: number;
  /** copies received of event baseline+1+i */
  counts: Uint8Array;
  /** a resume that fell back to a snapshot covers events up to here */
  snapshotFloor: number;
  /** bytes of the first message on the current connection */
  firstBytes: number;
  unexpected: number;
  /** events that arrived after a higher id */
  outOfOrder: number;
}

const sockets: Sock[] = [];
/** key → when the submit was written and to which instance */
const sendTimes = new Map<string, { readonly at: number; readonly lane: number }>();
/** deliveries that overtook the note of their submit: [received at, socket's instance] */
const waiting = new Map<string, Array<[number, number]>>();
let latency = new LogHistogram();
let latencySame = new LogHistogram();
let latencyOther = new LogHistogram();
let receipts = 0;
let messages = 0;
let parses = 0;
let unexpectedCloses = 0;
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

// Every socket gets the same serialized batch: parse each distinct payload once.
const cache: Array<{ buf: Buffer; parsed: Parsed }> = [];
function parse(buf: Buffer): Parsed {
  for (const entry of cache) if (entry.buf.length === buf.length && entry.buf.equals(buf)) return entry.parsed;
  parses++;
  const value = JSON.parse(buf.toString('utf8')) as unknown;
  let parsed: Parsed = { kind: 'other' };
  if (Array.isArray(value)) {
    const events = value as Array<{ id: number; displayname: string; challenge_id: number }>;
    parsed = { kind: 'events', ids: events.map((e) => e.id), keys: events.map((e) => `${e.displayname}|${e.challenge_id}`) };
  } else if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'snapshot') {
    parsed = { kind: 'snapshot', lastId: Number((value as { last_id: unknown }).last_id) };
  }
  cache.unshift({ buf: Buffer.from(buf), parsed });
  if (cache.length > 16) cache.pop();
  return parsed;
}

function count(s: Sock, id: number): void {
  if (id <= s.baseline) {
    s.unexpected++;
    return;
  }
  const i = id - s.baseline - 1;
  if (i >= s.counts.length) {
    const bigger = new Uint8Array(Math.max(i + 1, s.counts.length * 2));
    bigger.set(s.counts);
    s.counts = bigger;
  }
  if ((s.counts[i] as number) < 255) s.counts[i] = (s.counts[i] as number) + 1;
  if (id > s.lastId) s.lastId = id;
  else if (id < s.lastId) s.outOfOrder++;
}

function record(ms: number, sameInstance: boolean): void {
  latency.record(ms);
  (sameInstance ? latencySame : latencyOther).record(ms);
}

function deliver(key: string, at: number, lane: number): void {
  receipts++;
  const sent = sendTimes.get(key);
  if (sent !== undefined) record(at - sent.at, sent.lane === lane);
  else {
    // The event overtook the main thread's note that its submit was sent.
    const list = waiting.get(key);
    if (list) list.push([at, lane]);
    else waiting.set(key, [[at, lane]]);
  }
}

/** Opens one connection for `s`; resolves with its first message, or rejects. */
function open(s: Sock, url: string): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    let first = true;
    const ws: LiteSocket = new LiteSocket(url, {
      onMessage: (data) => {
        // A terminated connection may still hand over buffered data: it no longer counts.
        if (s.ws !== ws) return;
        const at = now();
        messages++;
        let parsed: Parsed;
        try {
          parsed = parse(data);
        } catch {
          parsed = { kind: 'other' };
        }
        if (parsed.kind === 'snapshot') {
          if (s.baseline < 0) s.baseline = parsed.lastId;
          if (parsed.lastId > s.lastId) s.lastId = parsed.lastId;
        } else if (parsed.kind === 'events') {
          for (let i = 0; i < parsed.ids.length; i++) {
            count(s, parsed.ids[i] as number);
            // The first message of a resumed connection carries old events: not a live delivery.
            if (!first) deliver(parsed.keys[i] as string, at, s.lane);
          }
        }
        if (first) {
          first = false;
          s.firstBytes = data.length;
          resolve(parsed);
        }
      },
      onError: (err) => {
        if (s.ws === ws) s.ws = null;
        if (first) {
          first = false;
          reject(err);
        }
      },
      onClose: () => {
        if (first) {
          first = false;
          reject(new Error('closed before the first message'));
        } else if (s.ws === ws) unexpectedCloses++;
        if (s.ws === ws) s.ws = null;
      },
    });
    s.ws = ws;
  });
}

async function connectAll(urls: readonly string[], lanes: readonly number[], concurrency: number): Promise<FromWorker> {
  const start = sockets.length;
  for (const [i, url] of urls.entries()) sockets.push({ url, lane: lanes[i] ?? 0, ws: null, baseline: -1, lastId: 0, counts: new Uint8Array(64), snapshotFloor: -1, firstBytes: 0, unexpected: 0, outOfOrder: 0 });
  const errors: string[] = [];
  let failed = 0;
  let next = start;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < sockets.length) {
        const s = sockets[next++] as Sock;
        try {
          await open(s, s.url);
        } catch (err) {
          failed++;
          if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
        }
      }
    }),
  );
  const baselines = sockets.filter((s) => s.baseline >= 0).map((s) => s.baseline);
  return {
    type: 'connected',
    opened: sockets.length - failed,
    failed,
    errors,
    baselineMin: baselines.length ? Math.min(...baselines) : -1,
    baselineMax: baselines.length ? Math.max(...baselines) : -1,
  };
}

async function dropAll(deadlineMs: number): Promise<FromWorker> {
  const dropAt = now();
  const stopAt = performance.now() + deadlineMs;
  const olds = sockets.map((s) => s.ws);
  for (const s of sockets) s.ws = null;
  for (const ws of olds) ws?.terminate();
  let failedAttempts = 0;
  let gaveUp = 0;
  let snapshotFallbacks = 0;
  let resumeBytes = 0;
  let snapshotBytes = 0;
  const errors: string[] = [];
  const backAt = await Promise.all(
    sockets.map(async (s) => {
      // As the app does (web/src/live/backoff.ts): every try, the first too, after a
      // full-jitter backoff, so a room of browsers does not hit the server in one instant.
      for (let attempt = 0; performance.now() < stopAt; attempt++) {
        await sleep(backoffDelay(attempt, Math.random));
        try {
          const first = await open(s, `${s.url}&since=${s.lastId}`);
          const at = now();
          if (first.kind === 'snapshot') {
            snapshotFallbacks++;
            snapshotBytes += s.firstBytes;
            s.snapshotFloor = first.lastId;
          } else resumeBytes += s.firstBytes;
          return at;
        } catch (err) {
          failedAttempts++;
          if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
        }
      }
      gaveUp++;
      return NaN;
    }),
  );
  return { type: 'dropped', dropAt, backAt, failedAttempts, gaveUp, snapshotFallbacks, resumeBytes, snapshotBytes, errors };
}

function check(expectLast: number): Check {
  let missing = 0;
  let coveredBySnapshot = 0;
  let duplicates = 0;
  let unexpected = 0;
  let outOfOrder = 0;
  let socketsWithProblems = 0;
  for (const s of sockets) {
    let problems = s.unexpected + s.outOfOrder;
    unexpected += s.unexpected;
    outOfOrder += s.outOfOrder;
    if (s.baseline < 0) continue;
    for (let id = s.baseline + 1; id <= Math.max(expectLast, s.lastId); id++) {
      const c = id - s.baseline - 1 < s.counts.length ? (s.counts[id - s.baseline - 1] as number) : 0;
      if (id > expectLast) {
        unexpected += c;
        problems += c;
      } else if (c === 0) {
        if (id <= s.snapshotFloor) coveredBySnapshot++;
        missing++;
        problems++;
      } else if (c > 1) {
        duplicates += c - 1;
        problems++;
      }
    }
    if (problems > 0) socketsWithProblems++;
  }
  return { missing, coveredBySnapshot, duplicates, unexpected, outOfOrder, socketsWithProblems };
}

function report(expectLast: number): FromWorker {
  return {
    type: 'report',
    sockets: sockets.length,
    latency: latency.toData(),
    latencySame: latencySame.toData(),
    latencyOther: latencyOther.toData(),
    receipts,
    unmatched: [...waiting.values()].reduce((n, list) => n + list.length, 0),
    messages,
    parses,
    unexpectedCloses,
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
    check: check(expectLast),
  };
}

async function closeAll(): Promise<void> {
  const open = sockets.map((s) => s.ws).filter((ws): ws is LiteSocket => ws !== null);
  for (const s of sockets) s.ws = null;
  for (const ws of open) ws.close();
  await sleep(300);
  for (const ws of open) ws.terminate();
}

async function handle(msg: ToWorker): Promise<FromWorker | null> {
  switch (msg.type) {
    case 'connect':
      return connectAll(msg.urls, msg.lanes ?? [], msg.concurrency);
    case 'mark':
      latency = new LogHistogram();
      latencySame = new LogHistogram();
      latencyOther = new LogHistogram();
      receipts = 0;
      messages = 0;
      parses = 0;
      lag.reset();
      return null;
    case 'sent': {
      sendTimes.set(msg.key, { at: msg.at, lane: msg.lane });
      const early = waiting.get(msg.key);
      if (early) {
        waiting.delete(msg.key);
        for (const [at, lane] of early) record(at - msg.at, lane === msg.lane);
      }
      return null;
    }
    case 'drop':
      return dropAll(msg.deadlineMs);
    case 'report':
      return report(msg.expectLast);
    case 'close':
      await closeAll();
      lag.disable();
      return { type: 'closed' };
  }
}

port.on('message', (msg: ToWorker) => {
  handle(msg).then(
    (reply) => {
      if (reply) port.postMessage(reply);
      if (reply?.type === 'closed') port.close();
    },
    (err: unknown) => port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker),
  );
});
