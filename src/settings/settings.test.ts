import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../package-info.js';
import { SETTINGS, type SettingDef } from './definitions.js';
import { settingsReference } from './reference.js';
import { formatSettingProblems, resolveSettings, settingsOf, type SettingSources } from './settings.js';

function resolve(partial: Partial<SettingSources>) {
  return resolveSettings({ flags: {}, env: {}, envFile: {}, ...partial });
}

function problemsOf(partial: Partial<SettingSources>) {
  const r = resolve(partial);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('settings', () => {
  it('has the documented defaults when nothing is given', () => {
    const s = settingsOf({});
    expect(s).toMatchObject({ port: 8080, host: '0.0.0.0', developerMode: false, keepaliveSeconds: 15, pingTimeoutSeconds: 45 });
    expect(s).toMatchObject({ database: null, redisUrl: null, redisPrefix: 'ctfg', sqliteSync: 'normal', logLevel: 'info' });
    expect(s).toMatchObject({ streamTokenSeconds: 3600, trustProxy: false, apiToken: null, maskKey: 'some-secret-key', title: 'ctfg' });
    expect(s.limits.submit).toEqual({ burst: 10, refillSeconds: 6 });
    expect(s.gameDir).toBe(path.resolve('.'));
  });

  it('takes a flag over the environment, and the environment over .env', () => {
    const both = { env: { CTFG_REDIS_URL: 'redis://env:1' }, envFile: { CTFG_REDIS_URL: 'redis://file:1' } };
    expect(settingsOf({ redisUrl: 'redis://flag:1' }, both.env).redisUrl).toBe('redis://flag:1');
    const r = resolve(both);
    expect(r.ok && r.settings.redisUrl).toBe('redis://env:1');
  });

  it('reads CTFG_LOG_LEVEL, CTFG_DATABASE_URL and CTFG_REDIS_URL from the game folder .env', () => {
    const r = resolve({ envFile: { CTFG_LOG_LEVEL: 'warn', CTFG_DATABASE_URL: 'postgresql:///game', CTFG_REDIS_URL: 'redis://r:6379' } });
    expect(r.ok && [r.settings.logLevel, r.settings.database?.url, r.settings.redisUrl]).toEqual(['warn', 'postgresql:///game', 'redis://r:6379']);
  });

  it('treats a variable set to "" in the environment as unset, hiding the .env value', () => {
    const r = resolve({ env: { CTFG_ADMIN_TOKEN: '' }, envFile: { CTFG_ADMIN_TOKEN: 'file-admin-token-0123' } });
    expect(r.ok && r.settings.adminToken).toBeNull();
  });

  it('defaults the log level to debug in developer mode', () => {
    expect(settingsOf({ developerMode: true }).logLevel).toBe('debug');
    expect(settingsOf({}, { CTFG_DEVELOPER_MODE: 'yes' }).developerMode).toBe(true);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', 1], // one hop: the client's own part of X-Forwarded-For is never believed
    ['1', 1],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, ::1, fd00::/8', ['10.0.0.0/8', '::1', 'fd00::/8']],
  ])('reads CTFG_TRUST_PROXY=%s', (raw, expected) => {
    expect(settingsOf({}, { CTFG_TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', 'proxy.local', '1.2.3'])('refuses CTFG_TRUST_PROXY=%s', (raw) => {
    expect(problemsOf({ env: { CTFG_TRUST_PROXY: raw } }).map((p) => p.name)).toEqual(['CTFG_TRUST_PROXY']);
  });

  it('names every bad value in one report, with its source, without echoing secrets', () => {
    const problems = problemsOf({
      flags: { port: '99999', keepaliveSeconds: 'x' },
      env: { CTFG_STREAM_TOKEN_TTL: '0', CTFG_API_TOKEN: 'short secret' },
      envFile: { CTFG_SQLITE_SYNC: 'fast', CTFG_RATE_HINT: '0,1' },
    });
    expect(problems.map((p) => p.name)).toEqual(['--port', '--ws-keepalive-interval', 'CTFG_SQLITE_SYNC', 'CTFG_STREAM_TOKEN_TTL', 'CTFG_API_TOKEN', 'CTFG_RATE_HINT']);
    const report = formatSettingProblems(problems);
    expect(report).toMatch(/^6 settings are not valid:/);
    expect(report).toContain('CTFG_SQLITE_SYNC (from the game folder .env) = "fast": must be one of normal, full');
    expect(report).toContain('CTFG_STREAM_TOKEN_TTL (from the environment) = "0"');
    expect(report).not.toContain('short secret');
  });

  it('accepts the libpq URL forms and refuses other schemes', () => {
    for (const url of ['postgresql://ctfg@/game?host=/var/run/postgresql', 'postgresql:///game?host=/tmp', 'postgres://u:p@db:5432/game?sslmode=disable']) {
      expect(settingsOf({ databaseUrl: url }).database?.url).toBe(url);
    }
    expect(problemsOf({ flags: { databaseUrl: 'mysql://db/game' } })[0]?.message).toBe('must start with postgres:// or postgresql://');
  });

  it('falls back to PGUSER for the database user', () => {
    expect(settingsOf({ databaseUrl: 'postgresql:///game' }, { PGUSER: 'alice' }).database?.defaultUser).toBe('alice');
  });

  it('is documented in docs/settings.md, generated from the definitions', () => {
    const doc = fs.readFileSync(path.join(PACKAGE_ROOT, 'docs', 'settings.md'), 'utf8');
    expect(doc).toBe(settingsReference());
  });

  it('defines every CTFG_* variable the code mentions', () => {
    const defined = new Set(Object.values(SETTINGS).flatMap((d: SettingDef<unknown>) => (d.env ? [d.env] : [])));
    const mentioned = new Set<string>();
    for (const file of fs.readdirSync(path.join(PACKAGE_ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      for (const m of fs.readFileSync(path.join(PACKAGE_ROOT, 'src', file), 'utf8').matchAll(/\bCTFG_[A-Z_]+[A-Z]\b/g)) mentioned.add(m[0]);
    }
    expect([...mentioned].filter((name) => !defined.has(name))).toEqual([]);
    expect(mentioned.size).toBeGreaterThan(10);
  });
});
