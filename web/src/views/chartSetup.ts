/**
 * Chart.js with only the parts the score chart uses, loaded lazily: players who never open the
 * scoreboard never download the charting code (it is most of the bundle's weight).
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
  type ChartConfiguration,
} from 'chart.js';
import 'chartjs-adapter-date-fns';

Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, Tooltip, Legend);

export type ChartPoint = { x: number; y: number };
export type LineChart = Chart<'line', ChartPoint[]>;

export function createLineChart(canvas: HTMLCanvasElement, config: ChartConfiguration<'line', ChartPoint[]>): LineChart {
  return new Chart<'line', ChartPoint[]>(canvas, config);
}
