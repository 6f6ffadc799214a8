import { describe, expect, it } from 'vitest';
import type { LiveEvent, SnapshotMessage } from '../../../src/protocol/messages.js';
import { applyBoard, applyEvents, applyLive, compareStandings, divisionsOf, EMPTY_STANDINGS, findRow, fromScoreboard, fromSnapshot, inDivision, topSeries } from './standings.js';

const T0 = 1_700_000_000_000;

function ev(id: number, displayname: string, points: number, ts: number, extra: Partial<LiveEvent> = {}): LiveEvent {
  return { id, type: points > 0 ? 'score' : 'hint', displayname, ts, challenge_id: 1, challenge: 'Warm-up', points, ...extra };
}

const snapshot: SnapshotMessage = {
  type: 'snapshot',
  last_id: 10,
  ts: T0 + 10_000,
  standings: [
    { pos: 1, displayname: 'alice', score: 300, solves: 2, last_ts: T0 + 2000 },
    { pos: 2, displayname: 'bob', score: 200, solves: 1, last_ts: T0 + 1000 },
    { pos: 3, displayname: 'carol', score: 100, solves: 1, last_ts: T0 + 3000 },
  ],
  top: [
    { displayname: 'alice', points: [[T0 + 500, 100], [T0 + 2000, 300]] },
    { displayname: 'bob', points: [[T0 + 1000, 200]] },
    { displayname: 'carol', points: [[T0 + 3000, 100]] },
  ],
};

describe('standings reducer', () => {
  it('takes the snapshot verbatim', () => {
    const s = fromSnapshot(snapshot);
    expect(s.lastId).toBe(10);
    expect(s.rows.map((r) => [r.pos, r.displayname])).toEqual([
      [1, 'alice'],
      [2, 'bob'],
      [3, 'carol'],
    ]);
    expect(s.series.get('alice')).toEqual([
      [T0 + 500, 100],
      [T0 + 2000, 300],
    ]);
    expect(s.source).toBe('snapshot');
  });

  it('applies a solve: score, solves, last_ts, re-rank and positions', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(11, 'carol', 250, T0 + 20_000)]);
    expect(s.rows.map((r) => [r.pos, r.displayname, r.score, r.solves])).toEqual([
      [1, 'carol', 350, 2],
      [2, 'alice', 300, 2],
      [3, 'bob', 200, 1],
    ]);
    expect(findRow(s, 'carol')?.last_ts).toBe(T0 + 20_000);
    expect(s.lastId).toBe(11);
    expect(s.series.get('carol')).toEqual([
      [T0 + 3000, 100],
      [T0 + 20_000, 350],
    ]);
    expect(s.recent[0]?.id).toBe(11);
  });

  it('ignores events at or below the last id (duplicates after a resume)', () => {
    const once = applyEvents(fromSnapshot(snapshot), [ev(11, 'bob', 50, T0 + 20_000)]);
    const twice = applyEvents(once, [ev(9, 'bob', 50, T0 + 900), ev(10, 'bob', 50, T0 + 950), ev(11, 'bob', 50, T0 + 20_000)]);
    expect(twice).toBe(once); // nothing new: same object
    expect(findRow(twice, 'bob')?.score).toBe(250);
  });

  it('deduplicates inside one batch and applies out-of-order batches by id', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(13, 'bob', 10, T0 + 30_000), ev(12, 'bob', 10, T0 + 29_000), ev(12, 'bob', 10, T0 + 29_000)]);
    expect(findRow(s, 'bob')?.score).toBe(220);
    expect(findRow(s, 'bob')?.solves).toBe(3);
    expect(s.lastId).toBe(13);
  });

  it('adds players who were not on the board', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(11, 'dave', 100, T0 + 40_000)]);
    expect(s.rows.map((r) => r.displayname)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(findRow(s, 'dave')).toMatchObject({ pos: 4, score: 100, solves: 1, last_ts: T0 + 40_000 });
  });

  it('hints subtract points without counting as solves', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(11, 'alice', -150, T0 + 50_000, { type: 'hint', hint_id: 1 })]);
    expect(findRow(s, 'alice')).toMatchObject({ score: 150, solves: 2, last_ts: T0 + 50_000 });
    expect(s.rows.map((r) => r.displayname)).toEqual(['bob', 'alice', 'carol']);
  });

  it('a free hint changes neither the score nor the tie-break time, but puts a new player on the board', () => {
    const s = applyEvents(fromSnapshot(snapshot), [
      ev(11, 'alice', 0, T0 + 60_000, { type: 'hint', hint_id: 1 }),
      ev(12, 'erin', 0, T0 + 61_000, { type: 'hint', hint_id: 1 }),
    ]);
    expect(findRow(s, 'alice')).toMatchObject({ score: 300, last_ts: T0 + 2000 });
    expect(findRow(s, 'erin')).toMatchObject({ score: 0, solves: 0, last_ts: T0 + 61_000 });
    expect(s.series.has('erin')).toBe(false);
  });

  it('orders ties by the earlier last score change, then by display name', () => {
    const rows = [
      { displayname: 'zed', score: 100, solves: 1, last_ts: 5 },
      { displayname: 'amy', score: 100, solves: 1, last_ts: 5 },
      { displayname: 'bea', score: 100, solves: 1, last_ts: 3 },
      { displayname: 'top', score: 200, solves: 1, last_ts: 9 },
    ];
    expect([...rows].sort(compareStandings).map((r) => r.displayname)).toEqual(['top', 'bea', 'amy', 'zed']);
  });

  it('a player reaching a tie later ranks below the one who got there first', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(11, 'bob', 100, T0 + 70_000)]);
    expect(s.rows.slice(0, 2).map((r) => [r.displayname, r.score])).toEqual([
      ['alice', 300],
      ['bob', 300],
    ]);
  });

  it('keeps the activity feed newest-first and bounded', () => {
    let s = fromSnapshot(snapshot);
    for (let i = 0; i < 30; i++) s = applyEvents(s, [ev(11 + i, 'bob', 1, T0 + 100_000 + i)]);
    expect(s.recent.length).toBeLessThanOrEqual(12);
    expect(s.recent[0]?.id).toBe(40);
  });

  it('seeds from GET /api/scoreboard and is superseded by a snapshot', () => {
    const rest = fromScoreboard({ standings: snapshot.standings });
    expect(rest.source).toBe('rest');
    expect(rest.rows).toHaveLength(3);
    expect(EMPTY_STANDINGS.rows).toHaveLength(0);
  });
});

describe('topSeries', () => {
  it('starts every line at 0 and extends it to now at the current score', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(11, 'bob', 50, T0 + 20_000)]);
    const series = topSeries(s, T0 + 99_000);
    const bob = series.find((x) => x.displayname === 'bob');
    expect(bob?.points).toEqual([
      [T0 + 500, 0],
      [T0 + 1000, 200],
      [T0 + 20_000, 250],
      [T0 + 99_000, 250],
    ]);
    expect(series.map((x) => x.displayname)).toEqual(['alice', 'bob', 'carol']);
  });

  it('limits to the top n and skips players without any score', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(11, 'erin', 0, T0 + 61_000, { type: 'hint' })]);
    expect(topSeries(s, T0 + 99_000, 2).map((x) => x.displayname)).toEqual(['alice', 'bob']);
    expect(topSeries(s, T0 + 99_000).map((x) => x.displayname)).not.toContain('erin');
  });
});

describe('admin adjustments (SPEC §8)', () => {
  it('move the score, the order and the chart, not the solves or the feed', () => {
    const s = applyEvents(fromSnapshot(snapshot), [{ id: 11, type: 'adjust', displayname: 'carol', points: 250, reason: 'write-up', ts: T0 + 4000 }]);
    expect(s.rows.map((r) => [r.pos, r.displayname, r.score, r.solves, r.last_ts])).toEqual([
      [1, 'carol', 350, 1, T0 + 4000],
      [2, 'alice', 300, 2, T0 + 2000],
      [3, 'bob', 200, 1, T0 + 1000],
    ]);
    expect(s.series.get('carol')).toEqual([
      [T0 + 3000, 100],
      [T0 + 4000, 350],
    ]);
    expect(s.recent).toEqual([]);
    expect(s.lastId).toBe(11);
  });
});

describe('board patches (dynamic scoring, SPEC §9)', () => {
  it('replaces repriced rows after the events before them, re-ranks, and records the new scores in the chart', () => {
    const s0 = fromSnapshot(snapshot);
    // dave solves the challenge alice and bob solved: it drops from 200 to 150 for everyone.
    const s1 = applyLive(s0, [
      ev(11, 'dave', 150, T0 + 20_000),
      {
        type: 'board',
        last_id: 11,
        ts: T0 + 20_000,
        rows: [
          { pos: 1, displayname: 'alice', score: 250, solves: 2, last_ts: T0 + 2000 },
          { pos: 3, displayname: 'bob', score: 150, solves: 1, last_ts: T0 + 1000 },
        ],
      },
    ]);
    expect(s1.rows.map((r) => [r.pos, r.displayname, r.score, r.last_ts])).toEqual([
      [1, 'alice', 250, T0 + 2000],
      [2, 'bob', 150, T0 + 1000],
      [3, 'dave', 150, T0 + 20_000],
      [4, 'carol', 100, T0 + 3000],
    ]);
    expect(s1.lastId).toBe(11);
    expect(s1.series.get('alice')?.at(-1)).toEqual([T0 + 20_000, 250]);
    expect(s1.series.get('bob')).toEqual([
      [T0 + 1000, 200],
      [T0 + 20_000, 150],
    ]);
    expect(applyBoard(s1, { type: 'board', last_id: 11, ts: T0, rows: [] })).toBe(s1);
  });

  it('keeps a row’s division through events and patches', () => {
    const s0 = fromSnapshot({ ...snapshot, standings: [{ pos: 1, displayname: 'erin', score: 10, solves: 1, last_ts: T0, division: 'Student' }], top: [] });
    const s1 = applyEvents(s0, [ev(11, 'erin', 5, T0 + 1)]);
    expect(s1.rows[0]).toMatchObject({ division: 'Student', score: 15 });
  });
});

describe('division switch (SPEC §9)', () => {
  it('lists the divisions and renumbers one division from 1', () => {
    const s = fromSnapshot({
      ...snapshot,
      standings: [
        { pos: 1, displayname: 'a', score: 30, solves: 1, last_ts: T0, division: 'Open' },
        { pos: 2, displayname: 'b', score: 20, solves: 1, last_ts: T0, division: 'Student' },
        { pos: 3, displayname: 'c', score: 10, solves: 1, last_ts: T0 },
        { pos: 4, displayname: 'd', score: 5, solves: 1, last_ts: T0, division: 'Student' },
      ],
    });
    expect(divisionsOf(s.rows)).toEqual(['Open', 'Student']);
    expect(inDivision(s, 'Student').rows.map((r) => [r.pos, r.displayname])).toEqual([
      [1, 'b'],
      [2, 'd'],
    ]);
    expect(inDivision(s, null)).toBe(s);
  });
});

describe('a row that first appears through an event', () => {
  it('takes its division from the event', () => {
    const s = applyEvents(fromSnapshot(snapshot), [ev(11, 'dora', 50, T0 + 5000, { division: 'Student' })]);
    expect(s.rows.find((r) => r.displayname === 'dora')).toMatchObject({ division: 'Student', score: 50 });
  });
});
