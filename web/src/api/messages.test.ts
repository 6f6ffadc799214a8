import { describe, expect, it } from 'vitest';
import type { ApiFailure } from './client.js';
import { describeFailure, waitPhrase } from './messages.js';
import { parseRetryAfter } from './retry.js';

const http = (status: number, code: string, retryAfter: number | null = null): ApiFailure => ({ kind: 'http', status, code, retryAfter });

describe('describeFailure', () => {
  it('login: bad credentials, rate limit with Retry-After, network', () => {
    expect(describeFailure(http(401, 'invalid_credentials'), 'login')).toBe('Wrong username or password.');
    expect(describeFailure(http(429, 'rate_limit_exceeded', 12), 'login')).toBe('Too many login attempts. Try again in 12 s.');
    expect(describeFailure({ kind: 'network' }, 'login')).toMatch(/reach the server/);
  });
  it('name: the server validation message verbatim, taken names, rate limit', () => {
    expect(describeFailure(http(400, 'Display name must be at least 2 characters'), 'name')).toBe('Display name must be at least 2 characters');
    expect(describeFailure(http(409, 'name_taken'), 'name')).toMatch(/already taken/);
    expect(describeFailure(http(429, 'rate_limit_exceeded', 90), 'name')).toBe('Too many requests. Try again in 2 min.');
  });
  it('submit and hint outcomes', () => {
    expect(describeFailure(http(403, 'locked'), 'submit')).toMatch(/locked/);
    expect(describeFailure(http(429, 'rate_limit_exceeded', 6), 'submit')).toBe('Too many wrong flags. Try again in 6 s.');
    expect(describeFailure(http(402, 'insufficient_points'), 'hint')).toMatch(/Not enough points/);
    expect(describeFailure(http(403, 'locked'), 'hint')).toBe('Reveal the earlier hints first.');
    expect(describeFailure(http(400, 'already_purchased'), 'hint')).toMatch(/already/);
  });
  it("the clock's 403s say what state the event is in, not that the challenge is locked", () => {
    expect(describeFailure(http(403, 'not_started'), 'submit')).toBe('The event has not started yet.');
    expect(describeFailure(http(403, 'paused'), 'hint')).toMatch(/paused/);
    expect(describeFailure(http(403, 'ended'), 'submit')).toMatch(/over/);
  });
  it('generic fallbacks', () => {
    expect(describeFailure(http(500, 'internal_error'), 'load')).toMatch(/server had a problem \(500\)/);
    expect(describeFailure(http(401, 'unauthorized'), 'load')).toMatch(/session has ended/);
    expect(waitPhrase(null)).toBe('in a moment');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('0', now)).toBe(1);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30);
  });
  it('returns null for missing or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
