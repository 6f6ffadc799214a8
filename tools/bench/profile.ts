import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time,
 * so a missed target can be traced to a file and function with numbers.
 */

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileEntry {
  /** function name and location, e.g. `snapshotJson dist/src/state/game-state.js:160` */
  readonly where: string;
  readonly selfMs: number;
  /** share of all sampled time, 0–100 */
  readonly percent: number;
}

function location(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  let file = frame.url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) file = file.slice(nm + 1);
  else if (path.isAbsolute(file)) file = path.relative(process.cwd(), file);
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

/** Where a frame's code lives: an npm package, a ctfg source folder, node's internals, or native code. */
export function moduleOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native: syscalls, SQLite, builtins)';
  const nm = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return `npm ${nm[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  const src = /\/(src|tools)\/([^/]+)\//.exec(url);
  return src ? `ctfg ${src[1]}/${src[2]}/` : url;
}

/** The `limit` functions with the most self time; shares are of busy time (idle left out, GC and (program) kept). */
export function topSelfTime(file: string, limit = 15, key: (frame: CallFrame) => string = location): ProfileEntry[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let total = 0;
  if (profile.samples && profile.timeDeltas) {
    // Each sample's time is the delta to the next sample.
    for (let i = 0; i < profile.samples.length; i++) {
      const node = byId.get(profile.samples[i] as number);
      const dt = profile.timeDeltas[i + 1] ?? 0;
      if (!node || dt <= 0 || node.callFrame.functionName === '(idle)') continue;
      const k = key(node.callFrame);
      selfUs.set(k, (selfUs.get(k) ?? 0) + dt);
      total += dt;
    }
  } else {
    const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0));
    for (const node of profile.nodes) {
      if (node.callFrame.functionName === '(idle)') continue;
      const us = (node.hitCount ?? 0) * interval;
      const k = key(node.callFrame);
      selfUs.set(k, (selfUs.get(k) ?? 0) + us);
      total += us;
    }
  }
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([where, us]) => ({ where, selfMs: Math.round(us / 100) / 10, percent: total > 0 ? Math.round((us / total) * 1000) / 10 : 0 }));
}

/** The entries as indented lines. */
export function formatProfile(entries: readonly ProfileEntry[]): string {
  return entries.map((e) => `    ${e.percent.toFixed(1).padStart(5)}%  ${String(e.selfMs).padStart(8)} ms  ${e.where}`).join('\n');
}
