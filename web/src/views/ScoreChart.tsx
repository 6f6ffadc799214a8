/**
 * Score-over-time of the top 10, drawn with Chart.js on a time axis. The chart instance is created
 * once (Chart.js itself is loaded on first use) and its datasets are updated in place, so a live
 * event redraws without re-animating.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChartSeries } from '../live/standings.js';
import { TIME_AXIS } from './chartAxis.js';
import type { ChartPoint, LineChart } from './chartSetup.js';

export const SERIES_COLORS = [
  '#34d399',
  '#60a5fa',
  '#c084fc',
  '#f472b6',
  '#fbbf24',
  '#22d3ee',
  '#fb923c',
  '#a3e635',
  '#f87171',
  '#e2e8f0',
];

type LineDataset = ChartDataset<'line', ChartPoint[]>;

function toDataset(s: ChartSeries, i: number, me: string | null, big: boolean): LineDataset {
  const color = SERIES_COLORS[i % SERIES_COLORS.length] ?? '#fff';
  const mine = s.displayname === me;
  return {
    label: s.displayname,
    data: s.points.map(([x, y]) => ({ x, y })),
    borderColor: color,
    backgroundColor: color,
    borderWidth: big ? 4 : mine ? 3.5 : 2,
    // The score holds until the next event, then jumps: a step line tells the truth. (Chart.js
    // 'before' draws the horizontal run at the old value first, then the vertical jump.)
    stepped: 'before',
    pointRadius: (ctx) => (ctx.dataIndex === 0 || ctx.dataIndex === s.points.length - 1 ? 0 : mine ? 3.5 : 2.5),
    pointHoverRadius: 5,
    tension: 0,
  };
}

const GRID = 'rgba(148, 163, 184, 0.12)';
const TICK = '#94a3b8';

/** `big`: the projector view, where labels must be readable from the back of the room. */
function chartConfig(big: boolean): ChartConfiguration<'line', ChartPoint[]> {
  const font = { size: big ? 20 : 12 };
  return {
    type: 'line',
    data: { datasets: [] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'time',
          time: { ...TIME_AXIS, displayFormats: { ...TIME_AXIS.displayFormats } },
          grid: { color: GRID },
          ticks: { color: TICK, maxRotation: 0, autoSkipPadding: 16, font },
        },
        y: {
          beginAtZero: true,
          grid: { color: GRID },
          ticks: { color: TICK, precision: 0, font },
          title: { display: !big, text: 'points', color: TICK },
        },
      },
      plugins: {
        legend: {
          position: 'bottom',
          display: !big, // the board's standings carry the colours instead
          labels: { color: '#cbd5e1', usePointStyle: true, pointStyle: 'circle', boxWidth: 8, boxHeight: 8, padding: 14 },
        },
        tooltip: {
          backgroundColor: 'rgba(15, 23, 42, 0.95)',
          borderColor: 'rgba(148, 163, 184, 0.3)',
          borderWidth: 1,
          padding: 10,
          callbacks: { label: (ctx) => ` ${ctx.dataset.label ?? ''}: ${ctx.parsed.y ?? 0} pts` },
        },
      },
    },
  };
}

function applySeries(chart: LineChart, series: readonly ChartSeries[], me: string | null, big: boolean): void {
  chart.data.datasets = series.map((s, i) => toDataset(s, i, me, big));
  chart.update('none');
}

export function ScoreChart(props: { readonly series: readonly ChartSeries[]; readonly me: string | null; readonly big?: boolean }): JSX.Element {
  const big = props.big === true;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<LineChart | null>(null);
  const latest = useRef({ series: props.series, me: props.me });
  latest.current = { series: props.series, me: props.me };
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let chart: LineChart | null = null;
    import('./chartSetup.js')
      .then(({ createLineChart }) => {
        const canvas = canvasRef.current;
        if (disposed || !canvas) return;
        chart = createLineChart(canvas, chartConfig(big));
        chartRef.current = chart;
        applySeries(chart, latest.current.series, latest.current.me, big);
      })
      .catch(() => setFailed(true));
    return () => {
      disposed = true;
      chart?.destroy();
      chartRef.current = null;
    };
  }, [big]);

  useEffect(() => {
    if (chartRef.current) applySeries(chartRef.current, props.series, props.me, big);
  }, [props.series, props.me, big]);

  const names = props.series.map((s) => s.displayname).join(', ');
  return (
    <div class={props.series.length === 0 ? 'chart-box is-empty' : 'chart-box'} data-testid="score-chart" data-series={props.series.length}>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={props.series.length > 0 ? `Score over time of the top players: ${names}` : 'Score over time (no scores yet)'}
      />
      {props.series.length === 0 && <p class="chart-empty muted">The race starts with the first solve.</p>}
      {failed && <p class="chart-empty muted">The chart could not be loaded. Reload the page to try again.</p>}
      {/* The same data as text, for screen readers (and for tests that cannot read a canvas). */}
      <ul class="sr-only" data-testid="chart-data">
        {props.series.map((s) => {
          const last = s.points[s.points.length - 1];
          return (
            <li key={s.displayname} data-name={s.displayname} data-score={last ? last[1] : 0}>
              {s.displayname}: {last ? last[1] : 0} points
            </li>
          );
        })}
      </ul>
    </div>
  );
}
