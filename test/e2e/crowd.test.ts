/**
 * A room full of browsers: ≥ 20 contexts log in, name themselves and solve in parallel while every
 * one of them watches the live scoreboard; all boards must converge to GET /api/scoreboard. Every
 * context is origin-guarded: no request may leave the server's origin.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreboardResponse } from '../../src/protocol/api.js';
import { Client } from '../helpers/client.js';
import { fixtureChallenges, prerequisiteOrder } from '../helpers/game.js';
import type { TestServer } from '../helpers/server.js';
import { chartScores, enterGame, type Guarded, newGuardedPage, startE2E, stopE2E, tableRows, waitLive } from './support.js';

const PLAYERS = 20;
const started = Date.now();
const log = (what: string): void => {
  if (process.env.CTFG_E2E_VERBOSE) console.log(`[crowd] ${what} after ${Date.now() - started} ms`);
};

let server: TestServer;
let browser: Browser;
const pages: Guarded[] = [];

beforeAll(async () => {
  [server, browser] = await startE2E();
});

afterAll(() => stopE2E(server, browser, pages));

describe('crowd', () => {
  it('the origin guard itself works (a foreign request is blocked and recorded)', async () => {
    const g = await newGuardedPage(browser, server.url);
    const loadForeignImage = (): Promise<unknown> =>
      g.page.evaluate(
        () =>
          new Promise((resolve) => {
            const img = new Image();
            img.onload = img.onerror = resolve;
            img.src = 'http://example.com/x.png';
          }),
      );
    // On the app's pages the server's CSP (img-src 'self') already stops it before any request…
    await g.page.goto(`${server.url}/`);
    await loadForeignImage();
    expect(g.foreign).toEqual([]);
    // …so the guard is shown on a blank page, where no CSP applies.
    await g.page.goto('about:blank');
    await loadForeignImage();
    expect(g.foreign).toEqual(['http://example.com/x.png']);
    await g.context.close();
  });

  it(`${PLAYERS} browsers play at once and every scoreboard converges to the server's`, async () => {
    const challenges = fixtureChallenges() as Array<{ id: number; testflag: string; requirements?: number[]; hints?: Array<{ id: number; cost: number }> }>;
    const order = prerequisiteOrder(challenges);
    const flagOf = new Map(challenges.map((c) => [c.id, c.testflag]));

    // Everyone enters at the same time, then parks on the live scoreboard.
    // Small viewports: 20 software-rendered pages on a small CI box must not starve each other.
    const guarded = await Promise.all(Array.from({ length: PLAYERS }, () => newGuardedPage(browser, server.url, { viewport: { width: 800, height: 600 } })));
    pages.push(...guarded);
    await Promise.all(
      guarded.map(async (g, i) => {
        await enterGame(g.page, server.url, `player${100 + i}`, `Crowd ${String(i).padStart(2, '0')}`);
        await g.page.getByRole('link', { name: 'Scoreboard' }).click();
        await waitLive(g.page);
      }),
    );

    log('entered');
    // Then everyone solves a different-length prefix of the challenge chain, some buying hints,
    // all in parallel, through their own session (same origin, as the app's own fetches do).
    await Promise.all(
      guarded.map((g, i) =>
        g.page.evaluate(
          async ({ steps, buyHints }) => {
            const post = (path: string, body: unknown) =>
              fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
            for (const [id, flag] of steps) {
              if (buyHints) await post('/api/hint', { id, hint_id: 1 });
              const res = await post('/api/submit', { id, flag });
              if (res.status !== 200) throw new Error(`submit ${id}: ${res.status}`);
              await new Promise((r) => setTimeout(r, Math.random() * 40));
            }
          },
          { steps: order.slice(0, 1 + (i % order.length)).map((id) => [id, flagOf.get(id) ?? ''] as [number, string]), buyHints: i % 3 === 0 },
        ),
      ),
    );

    log('solved');
    const judge = new Client(server.url);
    await judge.login('player100', 'password100');
    const truth = (await judge.request<ScoreboardResponse>('GET', '/api/scoreboard')).body.standings;
    expect(truth.length).toBe(PLAYERS);
    const expected = truth.map((r) => [r.displayname, r.score] as [string, number]);
    const expectedTop = Object.fromEntries(truth.slice(0, 10).map((r) => [r.displayname, r.score]));

    log('truth');
    await Promise.all(
      guarded.map(async (g) => {
        await expect.poll(() => tableRows(g.page), { timeout: 30_000 }).toEqual(expected);
        await expect.poll(() => chartScores(g.page), { timeout: 15_000 }).toEqual(expectedTop);
      }),
    );
    log('converged');
  }, 360_000); // 20 Chromium pages on a small CI box: entering alone can take tens of seconds
});
