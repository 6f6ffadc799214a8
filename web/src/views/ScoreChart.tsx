/**
 * Score-over-time of the top 10, drawn with Chart.js on a time axis. The chart instance is created
 * once and its datasets are updated in place, so a live event redraws without re-animating.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ChartSeries } from '../live/standings.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, Tooltip, Legend);

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

type Point = { x: number; y: number };
type LineDataset = ChartDataset<'line', Point[]>;

function toDataset(s: ChartSeries, i: number, me: string | null): LineDataset {
  const color = SERIES_COLORS[i % SERIES_COLORS.length] ?? '#fff';
  const mine = s.displayname === me;
  return {
    label: s.displayname,
    data: s.points.map(([x, y]) => ({ x, y })),
    borderColor: color,
    backgroundColor: color,
    borderWidth: mine ? 3.5 : 2,
    // The score holds until the next event, then jumps: a step line tells the truth.
    stepped: 'after',
    pointRadius: (ctx) => (ctx.dataIndex === 0 || ctx.dataIndex === s.points.length - 1 ? 0 : mine ? 3.5 : 2.5),
    pointHoverRadius: 5,
    tension: 0,
  };
}

export function ScoreChart(props: { readonly series: readonly ChartSeries[]; readonly me: string | null }): JSX.Element {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'line', Point[]> | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const grid = 'rgba(148, 163, 184, 0.12)';
    const tick = '#94a3b8';
    const chart = new Chart<'line', Point[]>(canvas, {
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
            time: { tooltipFormat: 'HH:mm:ss', displayFormats: { minute: 'HH:mm', hour: 'HH:mm', second: 'HH:mm:ss' } },
            grid: { color: grid },
            ticks: { color: tick, maxRotation: 0, autoSkipPadding: 16 },
          },
          y: {
            beginAtZero: true,
            grid: { color: grid },
            ticks: { color: tick, precision: 0 },
            title: { display: true, text: 'points', color: tick },
          },
        },
        plugins: {
          legend: {
            position: 'bottom',
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
    });
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.data.datasets = props.series.map((s, i) => toDataset(s, i, props.me));
    chart.update('none');
  }, [props.series, props.me]);

  const names = props.series.map((s) => s.displayname).join(', ');
  return (
    <div class="chart-box" data-testid="score-chart" data-series={props.series.length}>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={props.series.length > 0 ? `Score over time of the top players: ${names}` : 'Score over time (no scores yet)'}
      />
      {props.series.length === 0 && <p class="chart-empty muted">The race starts with the first solve.</p>}
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
