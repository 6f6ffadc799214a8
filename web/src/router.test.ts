import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router.js';

describe('hash routes', () => {
  it('parses the deep links', () => {
    expect(parseRoute('#challenges')).toEqual({ name: 'challenges' });
    expect(parseRoute('#announcements')).toEqual({ name: 'announcements' });
    expect(parseRoute('#scoreboard')).toEqual({ name: 'scoreboard' });
    expect(parseRoute('#challenge-12')).toEqual({ name: 'challenge', id: 12 });
    expect(parseRoute('#/challenge-3')).toEqual({ name: 'challenge', id: 3 });
  });
  it('falls back to the challenge list for anything else', () => {
    for (const h of ['', '#', '#challenge-', '#challenge-x', '#challenge-1e3', '#nope', '#challenge-99999999999']) {
      expect(parseRoute(h)).toEqual({ name: 'challenges' });
    }
  });
  it('round-trips', () => {
    for (const h of ['#challenges', '#scoreboard', '#announcements', '#challenge-7']) expect(routeHref(parseRoute(h))).toBe(h);
  });
});
