import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from './proxy-trust.js';
import { DEFAULT_TIMEOUTS, checkingIntervalMs } from './timeouts.js';

describe('parseTrustProxy', () => {
  it('reads off, one hop, a hop count and a list of proxies', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('true')).toBe(1);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.1, 10.1.0.0/16,::1,fd00::/8, loopback')).toEqual(['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
  });

  it('refuses anything else, naming what it did not understand', () => {
    expect(() => parseTrustProxy('yes')).toThrow(/CTFG_TRUST_PROXY="yes" is not valid.*not understood: yes/);
    expect(() => parseTrustProxy('10.0.0.1,proxy.example.org')).toThrow(/not understood: proxy\.example\.org/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseTrustProxy('-1')).toThrow(/not valid/);
  });
});

describe('request timeouts', () => {
  it('checks for expired requests often enough to act close to the limit', () => {
    expect(checkingIntervalMs(DEFAULT_TIMEOUTS)).toBe(2500);
    expect(checkingIntervalMs({ requestMs: 1000, headersMs: 500 })).toBe(250);
  });
});
