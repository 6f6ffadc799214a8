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

/** Writes `<dir>/<YYYY-MM-DD>-<scenario>[-quick].json`; returns the path. */
export function writeResult(dir: string, result: ScenarioResult, machine: MachineFacts, startedAt: Date): string {
  fs.mkdirSync(dir, { recursive: true });
  const date = startedAt.toISOString().slice(0, 10);
  const file = path.join(dir, `${date}-${result.scenario}${result.quick ? '-quick' : ''}.json`);
  const doc = { ...result, startedAt: startedAt.toISOString(), machine };
  fs.writeFileSync(file, `${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
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
        i === 0 ? r.scenario : '',
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
  const facts = `machine: ${machine.nproc} × ${machine.cpuModel} · Node ${machine.node} · ${machine.platform} · ${machine.totalMemMB} MB · load ${machine.loadAvg.join(' ')}`;
  return [facts, rule, line(header), rule, ...rows.map(line), rule].join('\n');
}
