import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_GAME, startServer, tempDir, type TestServer } from '../../test/helpers/server.js';
import { loadChallenges, loadCredentials, type Credential, type GameChallenge } from './game-files.js';
import { renderHtml, writeReports } from './report-html.js';
import { runEmulation } from './run.js';
import { formatSummary } from './summary.js';

/** Runs the real server (from source) and the emulator in-process against it. */
describe('runEmulation against the real server', () => {
  let server: TestServer;
  let challenges: GameChallenge[];
  let credentials: Credential[];

  beforeAll(async () => {
    [server, challenges, credentials] = await Promise.all([
      startServer(),
      loadChallenges(path.join(FIXTURE_GAME, 'challenges.json')),
      loadCredentials(path.join(FIXTURE_GAME, 'credentials.csv')),
    ]);
  }, 60_000);

  // A loaded CI box can take more than the default 10 s to drain and stop the server.
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it('10 players each solve all 15 challenges and see every own solve on their socket', { timeout: 60_000 }, async () => {
    const result = await runEmulation({
      serverUrl: server.url,
      challenges,
      credentials,
      players: 10,
      jitterSeconds: 0.5,
      durationSeconds: 50,
    });
    const { report } = result;
    expect(report.failures).toEqual([]);
    expect(report.errorsByMessage).toEqual([]);
    expect(result.ok).toBe(true);
    expect(challenges).toHaveLength(15);
    expect(result.players).toHaveLength(10);
    for (const p of result.players) expect(p).toMatchObject({ ok: true, solved: 15, confirmed: 15 });
    expect(report.summary).toMatchObject({ playersOk: 10, playersFailed: 0, expectedSolves: 150, solves: 150, confirmed: 150 });
    expect(report.errors).toBe(0);
    expect(report.delivery.count).toBe(150);
    expect(report.wsConnect.count).toBe(10);

    const labels = report.endpoints.map((e) => e.label);
    for (const l of ['GET /', 'GET /api/config', 'POST /api/login', 'POST /api/set-name', 'GET /api/challenges', 'POST /api/submit', 'WS /scorestream']) {
      expect(labels).toContain(l);
    }
    const submit = report.endpoints.find((e) => e.label === 'POST /api/submit');
    expect(submit).toMatchObject({ count: 150, statuses: { '200': 150 }, errors: 0 });
    // one list per player at the start plus one after every solve
    expect(report.endpoints.find((e) => e.label === 'GET /api/challenges')?.count).toBe(160);
    expect(report.timeline.reduce((n, t) => n + t.requests, 0)).toBe(report.requests);

    const out = tempDir('ctfg-emu-out-');
    const files = await writeReports(report, out);
    expect(JSON.parse(fs.readFileSync(files.json, 'utf8'))).toMatchObject({ tool: 'ctfg-emulator', summary: { solves: 150 } });
    const html = fs.readFileSync(files.html, 'utf8');
    expect(html).toContain('id="report-data"');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(formatSummary(report)).toMatch(/PASS[\s\S]*solves: 150\/150, confirmed on the socket: 150/);
  });

  it('stops by itself at the hard stop (--duration) and says so', { timeout: 30_000 }, async () => {
    const started = Date.now();
    const result = await runEmulation({
      serverUrl: server.url,
      challenges,
      credentials: credentials.slice(20, 23),
      thinkMs: 400,
      durationSeconds: 1,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.ok).toBe(false);
    expect(result.report.summary).toMatchObject({ playersFailed: 3, stoppedByDuration: true });
    for (const f of result.report.failures) expect(f.error).toMatch(/stopped by --duration/);
  });

  it('fails every player, with the cause, when nothing listens', { timeout: 30_000 }, async () => {
    const result = await runEmulation({ serverUrl: 'http://127.0.0.1:1', challenges, credentials, players: 3, durationSeconds: 20 });
    expect(result.ok).toBe(false);
    expect(result.report.summary.playersFailed).toBe(3);
    expect(result.report.failures[0]?.error).toMatch(/GET \/: fetch failed/);
    expect(result.report.errorsByMessage[0]?.count).toBe(3);
  });
});

describe('renderHtml', () => {
  it('keeps hostile text from the server inert', async () => {
    const result = await runEmulation({
      serverUrl: 'http://127.0.0.1:1',
      challenges: [{ id: 1, title: 't', testflag: 'f', requirements: [] }],
      credentials: [{ username: '</script><script>alert(1)</script>', password: 'p' }],
      durationSeconds: 10,
    });
    const html = renderHtml(result.report, '/* chart.js */');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)');
  });
});
