/** Submissions per minute as a small SVG bar chart (no chart library in the console's chunk). */
import type { JSX } from 'preact';
import { bars, formatTs } from '../format.js';

const W = 600;
const H = 160;

export function SpmChart(props: { readonly series: ReadonlyArray<readonly [number, number]> }): JSX.Element {
  const { series } = props;
  const total = series.reduce((sum, [, n]) => sum + n, 0);
  if (series.length === 0) return <p class="muted">No submissions yet.</p>;
  const first = series[0];
  const last = series[series.length - 1];
  const peak = Math.max(...series.map(([, n]) => n));
  return (
    <figure class="spm" data-testid="spm-chart">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${total} submissions in the last ${series.length} minutes, at most ${peak} a minute`}>
        {bars(series, W, H).map((b) => (
          <rect key={b.ts} x={b.x} y={H - b.h} width={b.w} height={Math.max(b.h, 0.5)} rx={2} class="spm-bar">
            <title>{`${formatTs(b.ts)}: ${b.n}`}</title>
          </rect>
        ))}
      </svg>
      <figcaption class="spm-axis muted small">
        <span>{first ? formatTs(first[0]) : ''}</span>
        <span>
          peak {peak}/min · {total} total
        </span>
        <span>{last ? formatTs(last[0]) : ''}</span>
      </figcaption>
    </figure>
  );
}
