import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, resultsCsv } from './results-csv.js';

describe('results CSV', () => {
  it('quotes commas, quotes and line breaks so a CSV reader gets the names back', () => {
    const names = ['Al, "the" Great', 'plain', 'two\nlines', 'Bøb ✓'];
    const csv = resultsCsv(names.map((n, i) => ({ pos: i + 1, username: `u${i}`, displayname: n, team: '', division: '', score: 100 - i, solves: 1, lastTs: 1000 + i })));
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(['pos', 'username', 'displayname', 'team', 'division', 'score', 'solves', 'last_ts']);
    expect(rows.slice(1).map((r) => r[2])).toEqual(names);
    expect(rows[1]).toEqual(['1', 'u0', 'Al, "the" Great', '', '', '100', '1', '1000']);
  });

  it('defuses spreadsheet formulas in names', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@a')).toBe("'@a");
    expect(csvField(-5)).toBe('-5');
    expect(csvField('a-b')).toBe('a-b');
  });

  it('is a header alone for an empty board', () => {
    expect(resultsCsv([])).toBe('pos,username,displayname,team,division,score,solves,last_ts\r\n');
  });
});
