import type { EmulationReport } from './run.js';

const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

/** The one-screen text summary printed at the end of a run. */
export function formatSummary(report: EmulationReport, files: readonly string[] = []): string {
  const s = report.summary;
  const lines: string[] = [];
  const verdict = s.playersFailed === 0 && report.errors === 0 ? 'PASS' : 'FAIL';
  lines.push(`ctfg-emulator ${verdict} — ${report.settings.serverUrl}, ${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push(
    `players: ${s.playersOk} ok, ${s.playersFailed} failed (of ${report.settings.players}; jitter ${report.settings.jitterSeconds} s` +
      `${report.settings.hints ? ', hints' : ''}${report.settings.thinkMs ? `, think ${report.settings.thinkMs} ms` : ''})`,
  );
  lines.push(`solves: ${s.solves}/${s.expectedSolves}, confirmed on the socket: ${s.confirmed}`);
  if (report.settings.hints) lines.push(`hints: ${report.counters.hintsBought} bought, ${report.counters.hintsUnaffordable} unaffordable (402)`);
  const peak = report.timeline.reduce((m, t) => Math.max(m, t.requests), 0);
  lines.push(
    `requests: ${report.requests} (peak ${peak}/s), errors: ${report.errors}` +
      `${report.counters.rateLimited ? `, rate-limited and retried: ${report.counters.rateLimited}` : ''}` +
      `${s.stoppedByDuration ? ' — STOPPED BY --duration' : ''}`,
  );
  lines.push('');
  const width = Math.max(8, ...report.endpoints.map((e) => e.label.length));
  lines.push(`${'endpoint'.padEnd(width)}  ${'count'.padStart(6)}  ${'p50'.padStart(7)}  ${'p95'.padStart(7)}  ${'p99'.padStart(7)}  ${'max'.padStart(7)}  errors`);
  for (const e of report.endpoints) {
    lines.push(
      `${e.label.padEnd(width)}  ${String(e.count).padStart(6)}  ${ms(e.p50).padStart(7)}  ${ms(e.p95).padStart(7)}  ${ms(e.p99).padStart(7)}  ${ms(e.max).padStart(7)}  ${e.errors}`,
    );
  }
  lines.push(`${''.padEnd(width)}  (latencies in ms)`);
  const d = report.delivery;
  lines.push('');
  lines.push(`solve → own socket delivery: p50 ${ms(d.p50)} ms, p95 ${ms(d.p95)} ms, p99 ${ms(d.p99)} ms, max ${ms(d.max)} ms (${d.count} events)`);
  const w = report.wsConnect;
  lines.push(`scorestream connect: p50 ${ms(w.p50)} ms, p99 ${ms(w.p99)} ms (${w.count} sockets)`);
  if (report.errorsByMessage.length > 0) {
    lines.push('');
    lines.push('errors by cause:');
    for (const e of report.errorsByMessage.slice(0, 8)) lines.push(`  ${String(e.count).padStart(5)} × ${e.message}`);
    if (report.errorsByMessage.length > 8) lines.push(`  … ${report.errorsByMessage.length - 8} more causes in the report`);
  }
  if (files.length > 0) {
    lines.push('');
    for (const f of files) lines.push(`wrote ${f}`);
  }
  return lines.join('\n');
}
