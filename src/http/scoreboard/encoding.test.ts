import { describe, expect, it } from 'vitest';
import { pickCoding } from './encoding.js';
import { pageAround } from './routes.js';

describe('pickCoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.9', 'gzip'],
    ['BR;Q=1', 'br'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['gzip;q=0, br;q=0', 'identity'],
  ] as const)('%s → %s', (header, coding) => {
    expect(pickCoding(header)).toBe(coding);
  });
});

describe('pageAround', () => {
  it('centres the page and keeps it inside the board', () => {
    expect(pageAround(50, 21, 2000)).toBe(40);
    expect(pageAround(3, 21, 2000)).toBe(0);
    expect(pageAround(1999, 21, 2000)).toBe(1979);
    expect(pageAround(5, 21, 10)).toBe(0);
  });
});
