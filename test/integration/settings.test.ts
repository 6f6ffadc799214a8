/**
 * Bad settings stop ctfg before it opens anything, with one report naming
 * every bad value and exit status 1 — one case per kind of setting.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_GAME, runCli, startServer, tempDir } from '../helpers/server.js';

const serveArgs = (dir = FIXTURE_GAME): string[] => ['-g', dir, '-b', tempDir('ctfg-settings-'), '--host', '127.0.0.1', '-p', '0'];

async function refused(args: string[], env: Record<string, string>): Promise<string> {
  const r = await runCli(args, env);
  expect(r.code).toBe(1);
  // Nothing was logged: the report comes before the logger and any store exist.
  expect(r.stdout).toBe('');
  return r.stderr;
}

describe('bad settings: one report, exit 1', () => {
  it.each([
    ['boolean', { CTFG_DEVELOPER_MODE: 'maybe' }, [], 'CTFG_DEVELOPER_MODE (from the environment) = "maybe": must be true or false'],
    ['number', { CTFG_STREAM_TOKEN_TTL: 'soon' }, [], 'CTFG_STREAM_TOKEN_TTL (from the environment) = "soon": must be a positive number of seconds'],
    ['number flag', {}, ['--ws-ping-timeout', '0'], '--ws-ping-timeout = "0": must be a whole number from 1 to 3600'],
    ['enum', { CTFG_LOG_LEVEL: 'loud' }, [], 'CTFG_LOG_LEVEL (from the environment) = "loud": must be one of fatal, error, warn, info, debug, trace, silent'],
    ['proxy trust', { CTFG_TRUST_PROXY: 'yes' }, [], 'CTFG_TRUST_PROXY (from the environment) = "yes": must be false, true (one proxy), a number of proxies'],
    ['URL', {}, ['--redis', 'http://127.0.0.1:6379'], '--redis: must start with redis:// or rediss://'],
    ['token', { CTFG_API_TOKEN: 'two words' }, [], 'CTFG_API_TOKEN (from the environment): must be at least 12 characters without spaces'],
    ['path', { CTFG_WEB_ROOT: '/nonexistent/ctfg-web' }, [], 'CTFG_WEB_ROOT (from the environment) = "/nonexistent/ctfg-web": must be an existing folder'],
  ])('%s', async (_kind, env: Record<string, string>, args: string[], line) => {
    const stderr = await refused([...serveArgs(), ...args], env);
    expect(stderr).toBe(`ctfg: cannot start: 1 setting is not valid:\n  ${stderr.split('\n')[1]?.trim()}\n`);
    expect(stderr).toContain(line);
    expect(stderr).not.toContain('two words');
  });

  it('names every bad value at once, including those in the game folder .env', async () => {
    const dir = tempDir('ctfg-settings-game-');
    fs.cpSync(FIXTURE_GAME, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.env'), 'CTFG_SQLITE_SYNC=fast\nCTFG_RATE_SUBMIT=ten\nCTFG_LOG_LEVEL=warn\n');
    const stderr = await refused([...serveArgs(dir), '-k', '-1'], { CTFG_TRUST_PROXY: 'yes', CTFG_LOG_LEVEL: 'nope' });
    expect(stderr).toMatch(/^ctfg: cannot start: 5 settings are not valid:\n/);
    for (const name of ['--ws-keepalive-interval', 'CTFG_SQLITE_SYNC (from the game folder .env)', 'CTFG_LOG_LEVEL (from the environment)', 'CTFG_TRUST_PROXY', 'CTFG_RATE_SUBMIT']) {
      expect(stderr).toContain(name);
    }
  });
});

describe('a start that fails after the backends are open', () => {
  it('closes them: the process ends by itself and the database opens again', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dbDir = tempDir('ctfg-settings-db-');
    try {
      const r = await runCli(['-g', FIXTURE_GAME, '-b', dbDir, '--host', '127.0.0.1', '-p', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ctfg: cannot start:');
      expect(r.stderr).toContain('EADDRINUSE');
      expect(r.stderr).not.toContain('open handles');
      expect(r.stdout).toContain('game state rebuilt');
    } finally {
      blocker.close();
    }
    const again = await startServer({ dbDir, backend: 'sqlite' });
    expect(await again.stop()).toBe(0);
  });
});
