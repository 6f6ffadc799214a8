import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where every resilience test writes the figures it measured (one key per test):
 * an ignored folder, so a run never rewrites a tracked file. The committed
 * test/resilience/results/latest.json is the record the README's figures quote;
 * copy a run over it when those figures are refreshed.
 */
export const RESULTS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test-results', 'resilience', 'latest.json');

interface ResultsFile {
  run: string;
  startedAt: string;
  results: Record<string, unknown>;
}

/**
 * The identity of this vitest run: workers are forked from the vitest main
 * process, so its pid and start time name the run. A new run starts a fresh
 * file; tests of the same run add their keys to it.
 */
function runId(): string {
  const parent = process.ppid;
  try {
    const stat = fs.readFileSync(`/proc/${parent}/stat`, 'utf8');
    // Field 22 (starttime) counts from after the parenthesised command name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${parent}-${fields[19] ?? '0'}`;
  } catch {
    return String(parent);
  }
}

/** Records the figures one test measured under `key` (overwriting that key). */
export function recordResult(key: string, figures: Record<string, unknown>): void {
  const run = runId();
  let file: ResultsFile = { run, startedAt: new Date().toISOString(), results: {} };
  try {
    const existing = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as ResultsFile;
    if (existing.run === run && typeof existing.results === 'object') file = existing;
  } catch {
    // no file yet, or unreadable: start fresh
  }
  file.results[key] = { ...figures, measuredAt: new Date().toISOString() };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const tmp = `${RESULTS_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`);
  fs.renameSync(tmp, RESULTS_FILE);
  console.log(`[resilience] ${key}: ${JSON.stringify(figures)}`);
}
