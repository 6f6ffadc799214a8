/** The live scoreboard across browsers (SPEC §4): fan-out, admin reset, reconnect after a restart. */
import net from 'node:net';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { startServer, TEST_TOKENS, tempDir, type TestServer } from '../helpers/server.js';
import { browserSuite, chartScores, enterGame, login, navPoints, openChallenge, submitFlag, tableRows, waitLive } from './support.js';

const suite = browserSuite();
const { servers } = suite;

async function open(server: TestServer, username: string, name: string): Promise<Page> {
  const page = await suite.page(server.url);
  await enterGame(page, server.url, username, name);
  return page;
}

async function gotoScoreboard(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Scoreboard' }).click();
  await page.getByRole('heading', { name: 'Scoreboard', level: 1 }).waitFor();
  await waitLive(page);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

describe('live scoreboard', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    servers.push(server);
  });

  it("a second browser sees the first player's solve in its table and chart within 2 s", async () => {
    const [solver, watcher] = await Promise.all([open(server, 'player40', 'Speedy Solver'), open(server, 'player41', 'Watcher')]);
    await gotoScoreboard(watcher);
    expect((await tableRows(watcher)).find(([n]) => n === 'Speedy Solver')).toBeUndefined();

    await openChallenge(solver, 6);
    const t0 = Date.now();
    expect(await submitFlag(solver, '75')).toBe('correct');
    await watcher.locator('[data-testid=standing-row][data-name="Speedy Solver"]').waitFor({ timeout: 2000 });
    await expect.poll(() => chartScores(watcher), { timeout: 2000 - (Date.now() - t0) }).toMatchObject({ 'Speedy Solver': 130 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await tableRows(watcher)).toContainEqual(['Speedy Solver', 130]);
    expect(await watcher.getByTestId('activity-feed').textContent()).toContain('Speedy Solver solved A Triangular Pennant');

    // and the watcher's own row is highlighted once they score
    const wc = new Client(server.url);
    await wc.login('player41', 'password41');
    await wc.submit(1, '26');
    await watcher.locator('[data-testid=standing-row][data-name="Watcher"].me').waitFor({ timeout: 2000 });
    await expect.poll(() => navPoints(watcher)).toBe(100);
  });

  it('a judge award with reload:"true" refreshes that player\'s challenge list live', async () => {
    const page = await open(server, 'player42', 'Awarded One');
    expect(await page.locator('[data-testid=challenge-card][data-id="3"]').count()).toBe(0);
    const res = await fetch(`${server.url}/api/award`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.api}` },
      body: JSON.stringify({ username: 'player42', id: 1 }),
    });
    expect(res.status).toBe(200);
    await page.locator('[data-testid=challenge-card][data-id="3"]').waitFor({ timeout: 3000 });
    expect(await page.locator('[data-testid=challenge-card][data-id="1"]').getAttribute('data-solved')).toBe('true');
    await expect.poll(() => navPoints(page)).toBe(100);
  });

  it('an admin reset logs every open browser out', async () => {
    const open1 = await open(server, 'player43', 'Reset Victim A');
    const open2 = await open(server, 'player44', 'Reset Victim B');
    await gotoScoreboard(open2);
    await waitLive(open1);

    const res = await fetch(`${server.url}/admin/reset?confirm=yes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_TOKENS.admin }),
    });
    expect(res.status).toBe(200);
    for (const p of [open1, open2]) {
      await p.getByLabel('Username').waitFor({ timeout: 3000 });
      expect(await p.getByRole('status').first().textContent()).toMatch(/reset by the organizers/);
      expect(await p.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    }
    // names were cleared: logging in again asks for one
    await login(open1, server.url, 'player43');
    await open1.getByRole('dialog', { name: 'Choose your display name' }).waitFor();
  });
});

describe('reconnect', () => {
  it('reconnects after the server restarts, without a page reload, and keeps receiving events', async () => {
    const port = await freePort();
    const dbDir = tempDir('ctfg-e2e-restart-');
    let server = await startServer({ port, dbDir });
    servers.push(server);
    const page = await open(server, 'player50', 'Survivor');
    await gotoScoreboard(page);
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });

    await server.stop();
    await expect.poll(() => page.getByTestId('conn-status').first().getAttribute('data-status'), { timeout: 10_000 }).not.toBe('live');

    server = await startServer({ port, dbDir });
    servers.push(server);
    await waitLive(page, 40_000);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    const other = new Client(server.url);
    await other.enter('player51', 'password51', 'After Restart');
    await other.submit(2, '32');
    await page.locator('[data-testid=standing-row][data-name="After Restart"]').waitFor({ timeout: 3000 });
  });
});
