/**
 * Static traversal: dozens of ways to name a file outside the asset roots —
 * `..`, percent-encoded and double-encoded dots and slashes, backslashes, NUL
 * bytes, absolute paths, overlong UTF-8, symlinks planted inside the root —
 * never return a byte of it. Sent over a raw socket so nothing normalizes them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureChallenges, writeGame } from '../helpers/game.js';
import { REPO_ROOT, tempDir, type TestServer } from '../helpers/server.js';
import { Fleet } from './helpers/fleet.js';
import { rawExchange, rawRequest, type RawResponse } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('static-traversal', figures);
  await fleet.finish('static-traversal');
});

/** Markers that only exist outside the web root. */
const SECRET = `TRAVERSAL-SECRET-${randomBytes(8).toString('hex')}`;
const FLAG = `TRAVERSAL-FLAG-${randomBytes(8).toString('hex')}`;
const PASSWORD = `traversal-password-${randomBytes(8).toString('hex')}`;
const FORBIDDEN = [SECRET, FLAG, PASSWORD, 'root:x:0:', 'SQLite format 3', '"devDependencies"', 'export async function startServer'];

interface Layout {
  base: string;
  webRoot: string;
  outside: string;
  gameDir: string;
  inRoot: Map<string, Buffer>;
}

/**
 * base/web          the web root (index.html, assets/app.js, two planted symlinks)
 * base/outside      secret.txt — what an attacker wants
 * base/web-evil     a sibling whose name starts with the root's name
 */
function layout(): Layout {
  const base = tempDir('ctfg-res-static-');
  const webRoot = path.join(base, 'web');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(webRoot, 'assets'), { recursive: true });
  fs.mkdirSync(outside);
  fs.mkdirSync(path.join(base, 'web-evil'));
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>traversal test root</title>');
  fs.writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'console.log("in root");');
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(base, 'web-evil', 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET);
  // Planted inside the root, pointing out of it.
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(webRoot, 'assets', 'secret-link.txt'));
  fs.symlinkSync(outside, path.join(webRoot, 'linked-dir'));
  fs.symlinkSync('/etc/passwd', path.join(webRoot, 'passwd'));
  const challenges = fixtureChallenges().map((c, i) => (i === 0 ? { ...c, flag: `^(26|${FLAG})$` } : c));
  const gameDir = writeGame({ challenges, credentials: `username,password\nplayer1,${PASSWORD}\n` });
  const inRoot = new Map<string, Buffer>([
    ['index.html', fs.readFileSync(path.join(webRoot, 'index.html'))],
    ['app.js', fs.readFileSync(path.join(webRoot, 'assets', 'app.js'))],
  ]);
  return { base, webRoot, outside, gameDir, inRoot };
}

/** The attack paths, each sent verbatim in the request line. */
function variants(l: Layout): string[] {
  const abs = path.join(l.outside, 'secret.txt');
  const absEnc = abs.replace(/\//g, '%2f');
  const gameRel = path.relative(l.webRoot, l.gameDir);
  return [
    '/../outside/secret.txt',
    '/../../../../../../../../etc/passwd',
    '/assets/../../outside/secret.txt',
    '/%2e%2e/outside/secret.txt',
    '/%2E%2E/outside/secret.txt',
    '/.%2e/outside/secret.txt',
    '/%2e%2e%2foutside%2fsecret.txt',
    '/..%2foutside%2fsecret.txt',
    '/..%2Foutside/secret.txt',
    '/%252e%252e/outside/secret.txt',
    '/%252e%252e%252foutside%252fsecret.txt',
    '/..%252foutside%252fsecret.txt',
    '/..\\outside\\secret.txt',
    '/..%5coutside%5csecret.txt',
    '/%2e%2e%5coutside%5csecret.txt',
    '/assets/..%5c..%5coutside%5csecret.txt',
    '/%255c..%255coutside%255csecret.txt',
    '/index.html%00/../../outside/secret.txt',
    '/../outside/secret.txt%00.html',
    '/%00../outside/secret.txt',
    '/assets/app.js%00../../outside/secret.txt',
    '//etc/passwd',
    '/etc/passwd',
    abs,
    `/${absEnc}`,
    `/%2f${absEnc.slice(3)}`,
    '/%c0%ae%c0%ae/outside/secret.txt',
    '/%c0%ae%c0%ae%c0%afoutside%c0%afsecret.txt',
    '/%e0%80%ae%e0%80%ae/outside/secret.txt',
    '/%c0%2e%c0%2e/outside/secret.txt',
    '/%u002e%u002e/outside/secret.txt',
    '/assets/secret-link.txt',
    '/linked-dir/secret.txt',
    '/passwd',
    '/..;/outside/secret.txt',
    '/./../outside/secret.txt',
    '/assets/./../../outside/secret.txt',
    '/....//outside/secret.txt',
    '/..././outside/secret.txt',
    '/../web-evil/secret.txt',
    '/../secret.txt',
    '/game/..%2f..%2fchallenges.json',
    '/game/%2e%2e%2fchallenges.json',
    `/../${gameRel}/challenges.json`,
    `/%2e%2e/${gameRel.split('/').map(() => '%2e%2e').slice(1).join('/')}${gameRel.startsWith('..') ? '' : ''}/etc/passwd`,
    `/../${gameRel}/credentials.csv`,
    '/api/../../outside/secret.txt',
    '/assets/%2e%2e/%2e%2e/outside/secret.txt',
    '/assets%2f..%2f..%2foutside%2fsecret.txt',
    '/%E0%A4%A',
    '/%',
    '/assets/%ff%fe%2e%2e/outside/secret.txt',
  ];
}

/**
 * SPEC §6 asks for 400/404. Developer mode looks files up per request through
 * @fastify/static's `send`, which answers 403 to a path with `..`: tolerated
 * there (no file is served; developer mode is not for production), reported.
 */
function verdict(res: RawResponse, l: Layout, developer: boolean): string | null {
  const body = res.raw.toString('latin1');
  for (const f of FORBIDDEN) if (body.includes(f)) return `leaked ${f.slice(0, 20)}`;
  if (res.status >= 500) return `status ${res.status}`;
  if (res.status === 200) {
    const legit = [...l.inRoot.values()].some((b) => b.equals(res.body));
    if (!legit) return `200 with a body that is not a file of the web root`;
  } else if (![400, 404, ...(developer ? [403] : [])].includes(res.status)) {
    return `status ${res.status}`;
  }
  return null;
}

async function attack(server: TestServer, l: Layout, developer: boolean): Promise<{ results: Array<{ path: string; status: number; problem: string | null }> }> {
  const results: Array<{ path: string; status: number; problem: string | null }> = [];
  for (const p of variants(l)) {
    const res = await rawRequest(server.port, { path: p });
    results.push({ path: p, status: res.status, problem: verdict(res, l, developer) });
  }
  // Absolute-form request target (RFC 9112 §3.2.2) and a Host header trick.
  for (const raw of [
    `GET http://127.0.0.1:${server.port}/../outside/secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    `GET /../outside/secret.txt HTTP/1.1\r\nHost: ../outside\r\nConnection: close\r\n\r\n`,
    `GET /..%2foutside%2fsecret.txt HTTP/1.0\r\n\r\n`,
  ]) {
    const res = await rawExchange(server.port, raw);
    results.push({ path: raw.split('\r\n')[0] as string, status: res.status, problem: verdict(res, l, developer) });
  }
  return { results };
}

describe('static traversal', () => {
  it('never serves a byte from outside the web root, in production and developer mode', async () => {
    const l = layout();
    fleet.secret('password', PASSWORD);
    fleet.secret('flag', FLAG);
    const summary: Record<string, unknown> = {};
    for (const mode of ['production', 'developer'] as const) {
      const server = await fleet.start({
        gameDir: l.gameDir,
        env: { CTFG_WEB_ROOT: l.webRoot },
        args: mode === 'developer' ? ['-d'] : [],
      });
      // Sanity: the root itself is served, so a 404 below means "refused", not "nothing is served".
      const index = await rawRequest(server.port, { path: '/' });
      expect(index.status).toBe(200);
      expect(index.body.equals(l.inRoot.get('index.html') as Buffer)).toBe(true);
      expect((await rawRequest(server.port, { path: '/assets/app.js' })).status).toBe(200);
      const { results } = await attack(server, l, mode === 'developer');
      const bad = results.filter((r) => r.problem !== null);
      expect(bad).toEqual([]);
      const statuses: Record<string, number> = {};
      for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      summary[mode] = { variants: results.length, statuses, refusedOrHarmless: results.length - bad.length };
    }
    figures.customRoot = summary;
  });

  it('keeps the default web root (web/dist) closed too', async () => {
    const dist = path.join(REPO_ROOT, 'web', 'dist');
    expect(fs.existsSync(path.join(dist, 'index.html')), 'web/dist is not built: run npm run build first').toBe(true);
    const server = await fleet.start();
    const paths = [
      '/../../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/%252e%252e/%252e%252e/package.json',
      '/..\\..\\package.json',
      '/assets/../../../src/server.ts',
      '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsrc%2fserver.ts',
      `/${path.join(REPO_ROOT, 'package.json')}`,
      '/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
      '/index.html%00.json',
    ];
    const statuses: Record<string, number> = {};
    for (const p of paths) {
      const res = await rawRequest(server.port, { path: p });
      const body = res.raw.toString('latin1');
      for (const f of FORBIDDEN) expect(body, p).not.toContain(f);
      expect([400, 404], p).toContain(res.status);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
    figures.defaultRoot = { variants: paths.length, statuses };
  });
});
