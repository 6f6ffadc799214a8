import { format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { TIME_AXIS } from './chartAxis.js';

describe('chart time axis', () => {
  it('never prints fractions of a second or a.m./p.m., whatever unit Chart.js picks', () => {
    const ts = new Date(2026, 11, 1, 14, 54, 36, 500).getTime();
    const labels = Object.values(TIME_AXIS.displayFormats).map((f) => format(ts, f));
    for (const label of [...labels, format(ts, TIME_AXIS.tooltipFormat)]) {
      expect(label).not.toMatch(/\.\d|[ap]\.?m\.?/i);
    }
    expect(format(ts, TIME_AXIS.displayFormats.millisecond)).toBe('14:54:36');
    expect(TIME_AXIS.minUnit).toBe('second');
  });
});
