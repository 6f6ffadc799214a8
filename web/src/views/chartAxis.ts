/**
 * The chart's time axis formats (date-fns patterns). Every unit Chart.js may pick is listed: the
 * adapter's own default for milliseconds is "h:mm:ss.SSS aaaa", which printed "2:54:36.500 a.m."
 * on a short game. 24-hour clock, like the standings table.
 */
export const TIME_AXIS = {
  minUnit: 'second',
  tooltipFormat: 'HH:mm:ss',
  displayFormats: {
    millisecond: 'HH:mm:ss',
    second: 'HH:mm:ss',
    minute: 'HH:mm',
    hour: 'HH:mm',
    day: 'd MMM',
    week: 'd MMM',
    month: 'MMM yyyy',
    quarter: 'MMM yyyy',
    year: 'yyyy',
  },
} as const;
