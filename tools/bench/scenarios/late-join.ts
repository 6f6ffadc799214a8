import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { removeDir } from '../game.js';
import { Api, type Session } from '../players.js';
import { atMost, type ScenarioResult } from '../report.js';
import { Samples, type Summary } from '../stats.js';
import { profileWindow, type ProfileSummary, startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';
import { prefilledGame } from './prefilled.js';

const NAME = 'late-join';

interface Params {
  readonly players: number;
  readonly eventsPerPlayer: number;
  readonly challenges: number;
  readonly hints: number;
  readonly samples: number;
}

const FULL: Params = { players: 2000, eventsPerPlayer: 50, challenges: 40, hints: 2, samples: 25 };
const QUICK: Params = { players: 200, eventsPerPlayer: 50, challenges: 40, hints: 2, samples: 5 };

interface FirstMessage {
  /** upgrade request written → first message received, ms */
  readonly totalMs: number;
  /** 101 response received → first message received, ms */
  readonly afterUpgradeMs: number;
  readonly bytes: number;
  readonly text: string;
}

/** Opens a scorestream socket and times its first message. */
function firstMessage(url: string): Promise<FirstMessage> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let upgraded = NaN;
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no first message within 10 s'));
    }, 10_000);
    ws.on('upgrade', () => (upgraded = performance.now()));
    ws.once('message', (data: Buffer) => {
      const t1 = performance.now();
      clearTimeout(timer);
      ws.close();
      resolve({ totalMs: t1 - t0, afterUpgradeMs: t1 - upgraded, bytes: data.length, text: data.toString('utf8') });
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

interface Series {
  readonly total: Summary;
  readonly afterUpgrade: Summary;
  readonly bytes: number;
}

async function sample(n: number, url: () => string, before?: (i: number) => Promise<void>): Promise<Series & { last: FirstMessage }> {
  const total = new Samples();
  const afterUpgrade = new Samples();
  let last: FirstMessage | null = null;
  for (let i = 0; i < n; i++) {
    if (before) await before(i);
    last = await firstMessage(url());
    total.add(last.totalMs);
    afterUpgrade.add(last.afterUpgradeMs);
  }
  if (!last) throw new Error('no samples');
  return { total: total.summary(), afterUpgrade: afterUpgrade.summary(), bytes: last.bytes, last };
}

export async function lateJoin(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  ctx.log(`  pre-filling ${p.players * p.eventsPerPlayer} events from ${p.players} players`);
  const pre = await prefilledGame(ctx, { players: p.players, eventsPerPlayer: p.eventsPerPlayer, probes: 2, challenges: p.challenges, hints: p.hints });
  let profile: ProfileSummary | null;
  const server = await startScenarioCtfg(ctx, pre.game.dir, pre.dbDir, [pre.game.dir, pre.dbDir]);
  let m: { cold: FirstMessage; cached: Series; rebuilt: Series; resume: Series; snapshot: { lastId: number; rows: number; topBytes: number } };
  try {
    const api = new Api(server.host, server.port, 4);
    const [probe] = await api.loginAll(pre.probes.slice(0, 1));
    const s = probe as Session;
    ctx.log(`  ctfg rebuilt ${pre.events} events in a ${server.startMs} ms start; sampling first messages`);
    const cold = await firstMessage(s.wsUrl);
    // Warm the JIT on both paths before measuring.
    await sample(5, () => s.wsUrl);
    const prof = await profileWindow(ctx, NAME, server);
    const cached = await sample(p.samples, () => s.wsUrl);
    // A new event before each sample: the snapshot cache is invalid, so the server rebuilds it.
    const rebuilt = await sample(p.samples, () => s.wsUrl, async (i) => {
      const c = pre.game.challenges[i % pre.game.challenges.length];
      if (!c) throw new Error('no challenge');
      const res = await api.submit(s, c);
      if (res.result !== 'correct') throw new Error(`probe submit answered ${res.status} ${String(res.result)}`);
    });
    const parsed = JSON.parse(rebuilt.last.text) as { type?: string; last_id?: number; standings?: unknown[]; top?: unknown[] };
    if (parsed.type !== 'snapshot' || typeof parsed.last_id !== 'number' || !Array.isArray(parsed.standings)) {
      throw new Error(`the first message is not a snapshot: ${rebuilt.last.text.slice(0, 200)}`);
    }
    const lastId = parsed.last_id;
    // Handshake cost alone: a resume with nothing missed answers "[]".
    const resume = await sample(p.samples, () => `${s.wsUrl}&since=${lastId}`);
    profile = await prof.stop();
    api.close();
    m = { cold, cached, rebuilt, resume, snapshot: { lastId, rows: parsed.standings.length, topBytes: JSON.stringify(parsed.top ?? []).length } };
  } finally {
    await stopScenarioCtfg(ctx, server);
    removeDir(pre.game.dir);
    removeDir(pre.dbDir);
  }
  const bytes = m.rebuilt.bytes;
  const perPlayer = (bytes - m.snapshot.topBytes) / Math.max(1, m.snapshot.rows);
  return {
    scenario: NAME,
    quick: ctx.quick,
    params: { ...p, events: pre.events },
    metrics: [
      { label: 'first message size', value: bytes / 1024, unit: 'KiB', target: atMost(bytes, 64 * 1024, '≤ 64 KiB', ctx.quick) },
      { label: 'bytes per board row', value: perPlayer, unit: `B (${m.snapshot.rows} rows; SPEC ~100)`, target: atMost(perPlayer, 100, '≤ ~100 B (SPEC)', ctx.quick) },
      { label: 'first msg, rebuilt p50', value: m.rebuilt.total.p50, unit: 'ms', target: atMost(m.rebuilt.total.p50, 20, '≤ 20 ms', ctx.quick) },
      { label: 'first msg, rebuilt max', value: m.rebuilt.total.max, unit: 'ms' },
      { label: 'first msg, cached p50', value: m.cached.total.p50, unit: 'ms' },
      { label: 'handshake only p50', value: m.resume.total.p50, unit: 'ms' },
      { label: 'server start (rebuild)', value: server.startMs, unit: 'ms' },
    ],
    details: { ...m, cold: { totalMs: m.cold.totalMs, afterUpgradeMs: m.cold.afterUpgradeMs, bytes: m.cold.bytes }, prefillMs: pre.prefillMs, ...(profile ? { profile } : {}) },
    notes: [
      'First-message time is measured at the client: upgrade request written → first message received, on a warm server, one socket at a time.',
      '"rebuilt": a probe player solves a challenge before each sample, so the server must rebuild and serialize the snapshot; "cached": no change between samples; "handshake only": a resume with nothing missed (first message "[]"), i.e. the cost without any snapshot.',
      'The 64 KiB target and the SPEC (~100 bytes per player, plus the top-10 series) disagree at 2,000 players; the SPEC wins, both are shown.',
    ],
    wallMs: performance.now() - began,
  };
}
