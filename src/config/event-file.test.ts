import { describe, expect, it } from 'vitest';
import { parseEventFile } from './event-file.js';

describe('event.yaml times', () => {
  it('reads unquoted and quoted times with an offset', () => {
    const r = parseEventFile('start: 2026-12-01T09:00:00Z\nend: "2026-12-01T12:00:00+01:00"\n');
    expect(r.ok && [r.value.start, r.value.end]).toEqual([Date.parse('2026-12-01T09:00:00Z'), Date.parse('2026-12-01T11:00:00Z')]);
  });

  it('refuses unquoted times without an offset instead of reading them as UTC', () => {
    const r = parseEventFile('start: 2026-12-01T09:00:00\nend: 2026-12-02\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.where)).toEqual(['line 1, key start', 'line 2, key end']);
  });
});
