import { readProc } from './launcher.js';
import { combine, type LoadResult } from './load.js';
import { ratio, throughput } from './stats.js';

/** One server under load: its process ids (several instances of one game count together) and one round of load against it. */
export interface Side {
  readonly pids: readonly number[];
  run(round: number): Promise<LoadResult>;
}

export interface SideResult {
  /** all rounds as one run */
  readonly run: LoadResult;
  /** requests per second over all rounds */
  readonly throughput: number;
  /** per round, in the order run */
  readonly roundThroughput: readonly number[];
  /** CPU the server process used during its rounds, ms */
  readonly serverCpuMs: number;
  /** server CPU per answered request, ms */
  readonly cpuPerRequestMs: number;
  /** server CPU over its rounds' wall time, in cores */
  readonly serverCores: number;
}

export interface Comparison {
  readonly floor: SideResult;
  readonly ctfg: SideResult;
  /** ctfg throughput ÷ floor throughput */
  readonly ratio: number | null;
  /** ctfg ÷ floor per round pair, to show how steady the ratio was */
  readonly roundRatios: ReadonlyArray<number | null>;
}

/** Round r runs floor first when r is even and ctfg first when odd: F C, C F, F C, … */
export function roundOrder(rounds: number): Array<['floor' | 'ctfg', number]> {
  const order: Array<['floor' | 'ctfg', number]> = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) order.push(['floor', r], ['ctfg', r]);
    else order.push(['ctfg', r], ['floor', r]);
  }
  return order;
}

/** CPU used so far by these processes together, ms. */
function cpuOf(pids: readonly number[]): number {
  return pids.reduce((n, pid) => n + (readProc(pid)?.cpuMs ?? NaN), 0);
}

function summarizeSide(runs: readonly LoadResult[], cpuMs: number): SideResult {
  const run = combine(runs);
  return {
    run,
    throughput: throughput(run.ok, run.elapsedMs),
    roundThroughput: runs.map((r) => throughput(r.ok, r.elapsedMs)),
    serverCpuMs: cpuMs,
    cpuPerRequestMs: run.ok > 0 ? cpuMs / run.ok : NaN,
    serverCores: run.elapsedMs > 0 ? cpuMs / run.elapsedMs : NaN,
  };
}

/**
 * Loads the floor and ctfg in alternating rounds (both processes stay up;
 * only one is loaded at a time), so the drift of a shared, noisy machine
 * falls on both sides alike instead of on whichever ran second.
 */
export async function alternate(rounds: number, floor: Side, ctfg: Side): Promise<Comparison> {
  const runs = { floor: [] as LoadResult[], ctfg: [] as LoadResult[] };
  const cpu = { floor: 0, ctfg: 0 };
  for (const [name, round] of roundOrder(rounds)) {
    const side = name === 'floor' ? floor : ctfg;
    const before = cpuOf(side.pids);
    runs[name].push(await side.run(round));
    cpu[name] += cpuOf(side.pids) - before;
  }
  const f = summarizeSide(runs.floor, cpu.floor);
  const c = summarizeSide(runs.ctfg, cpu.ctfg);
  return {
    floor: f,
    ctfg: c,
    ratio: ratio(c.throughput, f.throughput),
    roundRatios: c.roundThroughput.map((t, i) => ratio(t, f.roundThroughput[i])),
  };
}

/** A side's figures for the JSON result. */
export function sideDetails(s: SideResult): Record<string, unknown> {
  return {
    ok: s.run.ok,
    errors: s.run.errors,
    errorKinds: s.run.errorKinds,
    elapsedMs: s.run.elapsedMs,
    latency: s.run.latencies.summary(),
    roundThroughput: s.roundThroughput,
    serverCpuMs: s.serverCpuMs,
    cpuPerRequestMs: s.cpuPerRequestMs,
  };
}
