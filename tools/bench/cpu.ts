/**
 * CPU meters for everything that shares the machine during a run: ctfg
 * instances, PostgreSQL (its postmaster's children), Redis, the bench itself,
 * and /proc/stat for the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import { CLK_TCK } from './launcher.js';

interface StatFields {
  readonly ppid: number;
  /** utime + stime, ms */
  readonly ownMs: number;
  /** cutime + cstime (children already reaped), ms */
  readonly childrenMs: number;
}

export function statOf(pid: number | string): StatFields | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (i: number): number => (Number(f[i]) * 1000) / CLK_TCK;
    return { ppid: Number(f[1]), ownMs: ms(11) + ms(12), childrenMs: ms(13) + ms(14) };
  } catch {
    return null;
  }
}

/**
 * All CPU PostgreSQL used so far: the postmaster, its live children
 * (backends, walwriter, checkpointer, autovacuum) and, through cutime, the
 * children it already reaped. Whole server: other databases count too.
 */
export function postgresCpuMs(postmaster: number): number {
  const root = statOf(postmaster);
  if (!root) return NaN;
  let total = root.ownMs + root.childrenMs;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(entry);
    if (s && s.ppid === postmaster) total += s.ownMs;
  }
  return total;
}

/** Busy and total CPU time of the whole machine (all CPUs), ms, from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
    const total = busy + (idle ?? 0) + (iowait ?? 0);
    return { busy: (busy * 1000) / CLK_TCK, total: (total * 1000) / CLK_TCK };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** CPU used over a span, in ms of CPU time; NaN for what was not measured (no PostgreSQL on SQLite). */
export interface CpuUse {
  readonly wallMs: number;
  readonly ctfgMs: number;
  readonly postgresMs: number;
  readonly redisMs: number;
  readonly benchMs: number;
  readonly machineBusyMs: number;
  readonly machineTotalMs: number;
}

/** Cumulative CPU counters at one moment (`at`, ms); two of them make a CpuUse. */
export type CpuSnapshot = Omit<CpuUse, 'wallMs'> & { readonly at: number };

export const NO_CPU_USE: CpuUse = { wallMs: 0, ctfgMs: 0, postgresMs: 0, redisMs: 0, benchMs: 0, machineBusyMs: 0, machineTotalMs: 0 };

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  return {
    wallMs: b.at - a.at,
    ctfgMs: b.ctfgMs - a.ctfgMs,
    postgresMs: b.postgresMs - a.postgresMs,
    redisMs: b.redisMs - a.redisMs,
    benchMs: b.benchMs - a.benchMs,
    machineBusyMs: b.machineBusyMs - a.machineBusyMs,
    machineTotalMs: b.machineTotalMs - a.machineTotalMs,
  };
}

export function addCpuUse(a: CpuUse, b: CpuUse): CpuUse {
  return {
    wallMs: a.wallMs + b.wallMs,
    ctfgMs: a.ctfgMs + b.ctfgMs,
    postgresMs: a.postgresMs + b.postgresMs,
    redisMs: a.redisMs + b.redisMs,
    benchMs: a.benchMs + b.benchMs,
    machineBusyMs: a.machineBusyMs + b.machineBusyMs,
    machineTotalMs: a.machineTotalMs + b.machineTotalMs,
  };
}

/** The same span in cores (1.0 = one CPU busy the whole time). */
export interface CpuCores {
  readonly ctfg: number;
  readonly postgres: number;
  readonly redis: number;
  readonly bench: number;
  /** the whole machine, out of `nproc` */
  readonly machine: number;
  readonly nproc: number;
  /** machine − everything above: other work on the machine (and the kernel's share of our I/O not billed to a process) */
  readonly other: number;
}

export function cpuCores(u: CpuUse, nproc = os.availableParallelism()): CpuCores {
  const c = (ms: number): number => (u.wallMs > 0 ? ms / u.wallMs : NaN);
  const machine = u.machineTotalMs > 0 ? (u.machineBusyMs / u.machineTotalMs) * nproc : NaN;
  const known = [u.ctfgMs, u.postgresMs, u.redisMs, u.benchMs].filter(Number.isFinite).reduce((n, ms) => n + ms, 0);
  return {
    ctfg: c(u.ctfgMs),
    postgres: c(u.postgresMs),
    redis: c(u.redisMs),
    bench: c(u.benchMs),
    machine,
    nproc,
    other: machine - c(known),
  };
}
