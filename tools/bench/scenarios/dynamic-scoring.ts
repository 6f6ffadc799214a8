/**
 * Dynamic scoring under load (issue 12, SPEC §9): the fan-out with every
 * challenge decaying against the static fan-out measured in the same run
 * (solve → all-sockets p99 within 1.5×), the solve storm on the dynamic game,
 * and the size of the board patches a storm produces, measured on the
 * server's own state (the bytes every socket receives per batch).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MASK_KEY } from '../../../src/domain/obfuscate.js';
import { compileGame } from '../../../src/state/compiled-game.js';
import { GameState } from '../../../src/state/game-state.js';
import type { EventRecord } from '../../../src/storage/store.js';
import { parsePlayableChallenges, solveOrder } from '../../shared/challenges.js';
import { removeDir, tempDir } from '../game.js';
import { atMost, type Metric, type ScenarioResult } from '../report.js';
import { ratio, summarize } from '../stats.js';
import type { BenchContext } from './common.js';
import { fanOut } from './fan-out.js';
import { solveStorm } from './solve-storm.js';

/** Issue 12's storm: 1,000 players in 250 teams; its fan-out: 5,000 sockets. */
const TEAM_SIZE = 4;
const FAN_OUT_SOCKETS = 5000;

/** The fixture with every challenge decaying: parabolic, to 30% of its points at 50 solves. */
function dynamicFixture(fixtureDir: string): string {
  const dir = tempDir('ctfg-bench-dynamic-');
  fs.cpSync(fixtureDir, dir, { recursive: true });
  const file = path.join(dir, 'challenges.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
  for (const c of list) c.decay = { function: 'parabolic', minimum: Math.floor(Number(c.points) * 0.3), decay: 50 };
  fs.writeFileSync(file, JSON.stringify(list));
  return dir;
}

interface PatchSizes {
  readonly batches: number;
  readonly withPatch: number;
  readonly bytes: ReturnType<typeof summarize>;
  readonly rows: ReturnType<typeof summarize>;
  readonly snapshotBytes: number;
}

/**
 * `players` solve the dynamic game in prerequisite order, interleaved; every
 * `perBatch` solves the hub would flush, and the patch it would send is measured.
 */
function patchSizes(fixtureDir: string, players: number, perBatch: number): PatchSizes {
  const challenges = parsePlayableChallenges(fs.readFileSync(path.join(fixtureDir, 'challenges.json'), 'utf8'));
  const users = Array.from({ length: players }, (_, i) => ({ id: i + 1, username: `player${i + 1}`, displayname: `Bench Player ${i + 1}` }));
  const state = new GameState(compileGame(challenges, null, DEFAULT_MASK_KEY), users, { events: [], lastId: 0, reset: { count: 0, afterId: 0 } });
  const order = solveOrder(challenges);
  const bytes: number[] = [];
  const rows: number[] = [];
  let id = 0;
  let batches = 0;
  const t0 = Date.UTC(2026, 11, 1);
  for (const challengeId of order) {
    for (let u = 1; u <= players; u++) {
      const e: EventRecord = { id: ++id, userId: u, challengeId, kind: 'score', hintId: null, points: 0, ts: t0 + id * 10, reload: false };
      state.apply(e);
      if (id % perBatch !== 0) continue;
      batches++;
      const patch = state.takeBoardPatches(e.ts).public;
      if (patch === null) continue;
      bytes.push(Buffer.byteLength(patch));
      rows.push((JSON.parse(patch) as { rows: unknown[] }).rows.length);
    }
  }
  return { batches, withPatch: bytes.length, bytes: summarize(bytes), rows: summarize(rows), snapshotBytes: state.snapshotBody(t0).length };
}

function metricOf(result: ScenarioResult, label: string): number | null {
  const m = result.metrics.find((x) => x.label === label);
  return typeof m?.value === 'number' ? m.value : null;
}

export async function dynamicScoring(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const dir = dynamicFixture(ctx.fixtureDir);
  try {
    ctx.log(`  fan-out, static scoring${ctx.quick ? '' : `, ${FAN_OUT_SOCKETS} sockets`}`);
    const staticRun = await fanOut(ctx, false, FAN_OUT_SOCKETS);
    ctx.log('  fan-out, every challenge dynamic');
    const dynamicRun = await fanOut({ ...ctx, fixtureDir: dir }, false, FAN_OUT_SOCKETS);
    ctx.log(`  solve-storm, every challenge dynamic, players in teams of ${TEAM_SIZE}`);
    const storm = await solveStorm({ ...ctx, fixtureDir: dir }, { teamSize: TEAM_SIZE });
    const players = ctx.quick ? 100 : 1000;
    ctx.log(`  board patches: ${players} players solving the dynamic game, 10 solves a batch`);
    const patches = patchSizes(dir, players, 10);
    const p99Static = metricOf(staticRun, 'delivery p99');
    const p99Dynamic = metricOf(dynamicRun, 'delivery p99');
    const slowdown = ratio(p99Dynamic, p99Static);
    const metrics: Metric[] = [
      { label: 'fan-out delivery p99, static', value: p99Static, unit: 'ms' },
      { label: 'fan-out delivery p99, dynamic', value: p99Dynamic, unit: 'ms', ratio: slowdown, target: atMost(slowdown, 1.5, '≤ 1.5× static', ctx.quick) },
      { label: 'fan-out frames per socket, dynamic', value: metricOf(dynamicRun, 'frames per socket'), unit: `messages (static ${metricOf(staticRun, 'frames per socket')?.toFixed(0) ?? '?'})` },
      { label: 'solve-storm throughput, dynamic', value: metricOf(storm, 'throughput'), unit: 'req/s', ratio: storm.metrics.find((m) => m.label === 'throughput')?.ratio ?? null },
      { label: 'solve-storm p99, dynamic', value: metricOf(storm, 'latency p99'), unit: 'ms' },
      { label: 'solve-storm team solves, dynamic', value: metricOf(storm, 'team solves / teammates already solved'), unit: storm.metrics.find((m) => m.label.startsWith('team solves'))?.unit ?? '' },
      { label: 'board patch bytes p50', value: patches.bytes.p50, unit: 'B' },
      { label: 'board patch bytes p99', value: patches.bytes.p99, unit: `B (max ${patches.bytes.max})` },
      { label: 'board patch rows p99', value: patches.rows.p99, unit: `rows (${patches.withPatch} patches in ${patches.batches} batches)` },
      { label: 'snapshot after the storm', value: patches.snapshotBytes, unit: `B (${players} rows)` },
    ];
    return {
      scenario: 'dynamic-scoring',
      variant: staticRun.variant,
      quick: ctx.quick,
      params: { fanOut: staticRun.params, solveStorm: storm.params, patchPlayers: players, solvesPerBatch: 10 },
      metrics,
      details: { staticFanOut: staticRun.metrics, dynamicFanOut: dynamicRun.metrics, solveStorm: storm.metrics, patches },
      notes: [
        'Every challenge decays (parabolic, to 30% of its points at 50 solves), so nearly every solve reprices earlier solvers and each batch is followed by one board message.',
        `The solve storm runs ${TEAM_SIZE} players to a team (1,000 timed players in 250 teams in the full run), so teammates race for the same team solve.`,
        'Patch sizes come from the server\'s own GameState fed the same kind of storm in process: the bytes of the one board message every socket gets after a batch.',
      ],
      wallMs: performance.now() - began,
    };
  } finally {
    removeDir(dir);
  }
}
