import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A target printed next to a result: informational, never a failure. */
export interface TargetCheck {
  readonly text: string;
  /** null when it cannot be judged (no value, or a --quick run) */
  readonly met: boolean | null;
}

export interface Metric {
  readonly label: string;
  readonly value: number | null;
  readonly unit: string;
  /** the floor's figure for the same measurement, when there is one */
  readonly floor?: number | null;
  /** value ÷ floor */
  readonly ratio?: number | null;
  readonly target?: TargetCheck;
}

export interface ScenarioResult {
  readonly scenario: string;
  /** how ctfg ran when not the default SQLite ×1 (e.g. "PostgreSQL+Redis ×3"), and the file-name suffix that goes with it */
  readonly variant?: { readonly label: string; readonly slug: string } | undefined;
  readonly quick: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  readonly metrics: readonly Metric[];
  /** everything else worth keeping in the JSON */
  readonly details: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
  readonly wallMs: number;
}

function judge(ok: boolean | null, value: number | null | undefined): boolean | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : ok;
}

export function atLeast(value: number | null | undefined, min: number, text: string, quick: boolean): TargetCheck {
  return { text, met: quick ? null : judge(value !== null && value !== undefined && value >= min, value) };
}

export function atMost(value: number | null | undefined, max: number, text: string, quick: boolean): TargetCheck {
  return { text, met: quick ? null : judge(value !== null && value !== undefined && value <= max, value) };
}

export interface MachineFacts {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly totalMemMB: number;
  readonly loadAvg: readonly number[];
}

export function machineFacts(): MachineFacts {
  let model = os.cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux: os.cpus() is good enough
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel: model.trim(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    loadAvg: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

function writeJson(file: string, doc: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}

/** Writes `<dir>/<YYYY-MM-DD>-<scenario>[-postgres-xN][-quick].json`; returns the path. */
export function writeResult(dir: string, result: ScenarioResult, machine: MachineFacts, startedAt: Date): string {
  const date = startedAt.toISOString().slice(0, 10);
  const file = path.join(dir, `${date}-${result.scenario}${result.variant?.slug ?? ''}${result.quick ? '-quick' : ''}.json`);
  writeJson(file, { ...result, startedAt: startedAt.toISOString(), machine });
  return file;
}

/** Writes `<dir>/<YYYY-MM-DD>-instances[-quick].json` (the --compare-instances run); returns the path. */
export function writeComparison(dir: string, doc: { readonly quick: boolean; readonly [key: string]: unknown }, startedAt: Date, name = 'instances'): string {
  const file = path.join(dir, `${startedAt.toISOString().slice(0, 10)}-${name}${doc.quick ? '-quick' : ''}.json`);
  writeJson(file, { ...doc, startedAt: startedAt.toISOString() });
  return file;
}

function fmt(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const n = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${n} ${unit}` : n;
}

/** The results as a fixed-width table. */
export function formatTable(results: readonly ScenarioResult[], machine: MachineFacts): string {
  const header = ['scenario', 'metric', 'ctfg', 'floor', '× floor', 'target', ''];
  const rows: string[][] = [];
  for (const r of results) {
    r.metrics.forEach((m, i) => {
      const status = m.target ? (m.target.met === null ? '–' : m.target.met ? 'met' : 'MISSED') : '';
      rows.push([
        i === 0 ? (r.variant ? `${r.scenario} (${r.variant.label})` : r.scenario) : '',
        m.label,
        fmt(m.value, m.unit),
        m.floor === undefined ? '' : fmt(m.floor, m.unit),
        m.ratio === undefined ? '' : m.ratio === null ? '—' : `${m.ratio.toFixed(2)}×`,
        m.target?.text ?? '',
        status,
      ]);
    });
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [machineLine(machine), rule, line(header), rule, ...rows.map(line), rule].join('\n');
}

function machineLine(machine: MachineFacts): string {
  return `machine: ${machine.nproc} × ${machine.cpuModel} · Node ${machine.node} · ${machine.platform} · ${machine.totalMemMB} MB · load ${machine.loadAvg.join(' ')}`;
}

/** One row of the --compare-instances table: a figure picked from each configuration's result. */
export interface ComparisonRow {
  readonly label: string;
  /** the metric (by label) it comes from */
  readonly metric: string;
  /** value (default), the floor's figure, or the ratio to the floor */
  readonly field?: 'value' | 'floor' | 'ratio';
  readonly unit: string;
}

/** What --compare-instances shows, per scenario. */
export const COMPARISON_ROWS: Readonly<Record<string, readonly ComparisonRow[]>> = {
  'solve-storm': [
    { label: 'throughput', metric: 'throughput', unit: 'req/s' },
    { label: '× floor (SQLite floor, same run)', metric: 'throughput', field: 'ratio', unit: '×' },
    { label: 'floor throughput', metric: 'throughput', field: 'floor', unit: 'req/s' },
    { label: 'solves/s per instance', metric: 'solves/s per instance', unit: 'req/s' },
    { label: 'latency p50', metric: 'latency p50', unit: 'ms' },
    { label: 'latency p99', metric: 'latency p99', unit: 'ms' },
    { label: 'locked, retried', metric: 'locked, retried', unit: '' },
    { label: 'ctfg CPU (all instances)', metric: 'server CPU', unit: 'cores' },
    { label: 'ctfg CPU / solve', metric: 'server CPU / request', unit: 'ms' },
    { label: 'PostgreSQL CPU', metric: 'PostgreSQL CPU', unit: 'cores' },
    { label: 'PostgreSQL CPU / solve', metric: 'PostgreSQL CPU / solve', unit: 'ms' },
    { label: 'Redis CPU', metric: 'Redis CPU', unit: 'cores' },
    { label: 'CPU / solve, ctfg+PG+Redis', metric: 'server CPU / solve, all server processes', unit: 'ms' },
    { label: 'PG backends running (avg)', metric: 'PG backends running', unit: '' },
    { label: 'PG backends waiting on a lock (avg)', metric: 'PG backends waiting on a lock', unit: '' },
    { label: 'bench CPU', metric: 'client CPU', unit: 'cores' },
    { label: 'machine CPU busy', metric: 'machine CPU busy', unit: 'cores' },
    { label: 'other processes', metric: 'other processes CPU', unit: 'cores' },
    { label: 'correct solves', metric: 'correct / errors', unit: '' },
  ],
  'fan-out': [
    { label: 'delivery p50', metric: 'delivery p50', unit: 'ms' },
    { label: 'delivery p99', metric: 'delivery p99', unit: 'ms' },
    { label: 'delivery max', metric: 'delivery max', unit: 'ms' },
    { label: 'p50 at the submit\'s instance', metric: 'delivery p50 same instance', unit: 'ms' },
    { label: 'p50 at other instances', metric: 'delivery p50 other instance', unit: 'ms' },
    { label: 'p99 at the submit\'s instance', metric: 'delivery p99 same instance', unit: 'ms' },
    { label: 'p99 at other instances', metric: 'delivery p99 other instance', unit: 'ms' },
    { label: 'delivered', metric: 'delivered', unit: '%' },
    { label: 'missing+dup+out of order', metric: 'exactly-once violations', unit: '' },
    { label: 'frames per socket', metric: 'frames per socket', unit: '' },
    { label: 'events per batch', metric: 'events per batch', unit: '' },
    { label: 'ctfg RSS (sum of peaks)', metric: 'server RSS peak', unit: 'MB' },
    { label: 'ctfg CPU (all instances)', metric: 'server CPU', unit: 'cores' },
    { label: 'PostgreSQL CPU', metric: 'PostgreSQL CPU', unit: 'cores' },
    { label: 'Redis CPU', metric: 'Redis CPU', unit: 'cores' },
    { label: 'bench CPU', metric: 'client CPU', unit: 'cores' },
    { label: 'machine CPU busy', metric: 'machine CPU busy', unit: 'cores' },
    { label: 'other processes', metric: 'other processes CPU', unit: 'cores' },
    { label: 'server loop lag p99 (worst)', metric: 'server loop lag p99', unit: 'ms' },
    { label: 'submit answer p99', metric: 'submit answer p99', unit: 'ms' },
    { label: 'client lag p99', metric: 'client lag p99', unit: 'ms' },
  ],
};

function pick(result: ScenarioResult | undefined, row: ComparisonRow): string {
  const m = result?.metrics.find((x) => x.label === row.metric);
  if (!m) return '—';
  const v = row.field === 'floor' ? m.floor : row.field === 'ratio' ? m.ratio : m.value;
  if (row.field === 'ratio') return v === null || v === undefined ? '—' : `${v.toFixed(2)}×`;
  return fmt(v, row.unit);
}

/**
 * The --compare-instances table: one column per configuration, one block of
 * rows per scenario. `columns[c]` holds that configuration's results.
 */
export function formatComparison(
  columns: ReadonlyArray<{ readonly label: string; readonly results: readonly ScenarioResult[] }>,
  scenarios: readonly string[],
  machine: MachineFacts,
): string {
  const header = ['scenario', 'figure', ...columns.map((c) => c.label)];
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    (COMPARISON_ROWS[scenario] ?? []).forEach((row, i) => {
      const cells = columns.map((c) => pick(c.results.find((r) => r.scenario === scenario), row));
      if (cells.every((cell) => cell === '—')) return;
      rows.push([i === 0 ? scenario : '', row.label, ...cells]);
    });
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c >= 2 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [machineLine(machine), rule, line(header), rule, ...rows.map(line), rule].join('\n');
}

/**
 * Issue 14's target 1 from a --compare-instances/--compare-backends run:
 * server CPU per solve (ctfg + PostgreSQL + Redis) on PostgreSQL+Redis ×1
 * over SQLite ×1's, both measured in this run.
 */
export function backendCpuRatio(
  columns: ReadonlyArray<{ readonly label: string; readonly topology: { readonly backend: string; readonly instances: number }; readonly results: readonly ScenarioResult[] }>,
  quick: boolean,
): { readonly sqliteMs: number; readonly postgresMs: number; readonly ratio: number; readonly line: string } | null {
  const cpuOf = (backend: string): number | null => {
    const column = columns.find((c) => c.topology.backend === backend && c.topology.instances === 1);
    const m = column?.results.find((r) => r.scenario === 'solve-storm')?.metrics.find((x) => x.label === 'server CPU / solve, all server processes');
    return m?.value ?? null;
  };
  const sqliteMs = cpuOf('sqlite');
  const postgresMs = cpuOf('postgres');
  if (sqliteMs === null || postgresMs === null || sqliteMs <= 0) return null;
  const ratio = postgresMs / sqliteMs;
  const verdict = quick ? '(quick: not judged)' : ratio <= 2 ? '✓' : 'MISSED';
  const line = `server CPU per solve, all server processes: PostgreSQL+Redis ×1 ${postgresMs.toFixed(3)} ms ÷ SQLite ×1 ${sqliteMs.toFixed(3)} ms = ${ratio.toFixed(2)}× · target ≤ 2× ${verdict}`;
  return { sqliteMs, postgresMs, ratio, line };
}
