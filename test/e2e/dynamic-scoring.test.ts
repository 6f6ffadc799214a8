/**
 * Dynamic scoring in real Chromium (SPEC §9): when another player solves a dynamic challenge, its
 * value drops for every earlier solver on every open board (the scoreboard table and chart, the
 * projector view) without a reload, and the challenge page explains it and names the first solvers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { FIXTURE_GAME, startServer, tempDir, type TestServer } from '../helpers/server.js';
import { browserSuite, chartScores, enterGame, openChallenge, submitFlag, tableRows, waitLive } from './support.js';

const suite = browserSuite();
const { servers } = suite;

/** The fixture game with challenge 1 (100 points, flag 26) losing 30 points a solve, down to 40. */
function dynamicGame(): string {
  const dir = tempDir('ctfg-dyn-game-');
  fs.cpSync(FIXTURE_GAME, dir, { recursive: true });
  const file = path.join(dir, 'challenges.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
  const first = list.find((c) => c.id === 1) as Record<string, unknown>;
  first.decay = { function: 'linear', minimum: 40, decay: 30 };
  fs.writeFileSync(file, JSON.stringify(list));
  return dir;
}

async function boardRows(page: Page): Promise<Array<[string, number]>> {
  return page.locator('[data-testid=board-row]').evaluateAll((rows) =>
    rows.map((r) => [r.getAttribute('data-name') ?? '', Number(r.querySelector('.bd-score')?.textContent?.replace(/[^\d-]/g, '') ?? 'NaN')] as [string, number]),
  );
}

describe('dynamic scoring, live', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ gameDir: dynamicGame() });
    servers.push(server);
  });

  it("a dynamic challenge's value drops on every open board when another player solves it", async () => {
    const [solver, watcher, projector] = await Promise.all([suite.page(server.url), suite.page(server.url), suite.page(server.url, { viewport: { width: 1920, height: 1080 } })]);
    await enterGame(solver, server.url, 'player60', 'Early Bird');
    await openChallenge(solver, 1);
    expect(await solver.getByTestId('points').getAttribute('title')).toMatch(/scores can go down/);
    expect(await submitFlag(solver, '26')).toBe('correct');

    await enterGame(watcher, server.url, 'player61', 'Watcher Dyn');
    await watcher.getByRole('link', { name: 'Scoreboard' }).click();
    await waitLive(watcher);
    await enterGame(projector, server.url, 'player62', 'Projector Dyn');
    await projector.goto(`${server.url}/board`);
    await waitLive(projector);
    await expect.poll(() => boardRows(projector)).toContainEqual(['Early Bird', 100]);
    await expect.poll(() => tableRows(watcher)).toContainEqual(['Early Bird', 100]);

    // Another player solves it: 100 → 70 for both, on every board, within 2 s.
    const late = new Client(server.url);
    await late.enter('player63', 'password63', 'Late Comer');
    const t0 = Date.now();
    expect((await late.submit(1, '26')).body).toMatchObject({ result: 'correct', points: 70 });
    await expect.poll(() => tableRows(watcher), { timeout: 2000 }).toEqual(expect.arrayContaining([['Early Bird', 70], ['Late Comer', 70]]));
    await expect.poll(() => boardRows(projector), { timeout: Math.max(500, 2000 - (Date.now() - t0)) }).toEqual(expect.arrayContaining([['Early Bird', 70]]));
    await expect.poll(() => chartScores(watcher)).toMatchObject({ 'Early Bird': 70, 'Late Comer': 70 });

    // The solver's own challenge page follows after a refresh of the list: value, solves, first solvers.
    await solver.reload();
    await solver.locator('[data-testid=challenge-detail][data-id="1"]').waitFor();
    await expect.poll(() => solver.getByTestId('points').textContent()).toContain('70');
    const solvers = await solver.getByTestId('first-solvers').locator('.solver-name').allTextContents();
    expect(solvers).toEqual(['Early Bird', 'Late Comer']);
  });
});
