/**
 * The projector view /board (SPEC §7) at 1920×1080 in real Chromium: the clock, the standings and a
 * ticker with first bloods, live, with no scrollbars; anonymous with public_scoreboard, otherwise
 * on the session of whoever opened it.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { admin, gameWithEvent, iso } from './event-support.js';
import { browserSuite, login, waitLive } from './support.js';

const suite = browserSuite();
const { servers } = suite;
const HOUR = 3_600_000;
const FULL_HD = { width: 1920, height: 1080 };

async function openBoard(server: TestServer): Promise<Page> {
  const page = await suite.page(server.url, { viewport: FULL_HD });
  await page.goto(`${server.url}/board`);
  return page;
}

/** Whether anything on the page would need a scrollbar. */
async function overflows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollHeight > window.innerHeight || el.scrollWidth > window.innerWidth;
  });
}

describe('/board with public_scoreboard', () => {
  let server: TestServer;
  beforeAll(async () => {
    const now = Date.now();
    const game = gameWithEvent(`title: Projector Night\nstart: ${iso(now - HOUR)}\nend: ${iso(now + 2 * HOUR)}\npublic_scoreboard: true\n`);
    server = await startServer({ gameDir: game });
    servers.push(server);
  });

  it('anonymously shows the clock, the standings and a first-blood ticker, live, without scrollbars', async () => {
    const page = await openBoard(server);
    await page.getByTestId('board').waitFor();
    await waitLive(page);
    const clock = page.getByTestId('board-clock');
    await expect.poll(() => clock.getAttribute('data-kind')).toBe('time-left');
    expect(await clock.textContent()).toMatch(/Time left\s*1:59:\d\d|Time left\s*2:00:00/);

    const ada = new Client(server.url);
    const bob = new Client(server.url);
    await ada.enter('player1', 'password1', 'Ada');
    await bob.enter('player2', 'password2', 'Bob');
    await ada.submit(1, '26');
    await bob.submit(1, '26');
    await bob.submit(6, '75');

    const firstBlood = page.locator('[data-testid=ticker-item][data-blood="1"]').first();
    await firstBlood.waitFor({ timeout: 3000 });
    expect(await page.getByTestId('board-blood-banner').textContent()).toMatch(/First blood: Bob on A Triangular Penn|First blood: Ada on/);
    await expect.poll(() => page.locator('[data-testid=ticker-item]').count()).toBe(3);
    const bloods = await page.locator('[data-testid=ticker-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-blood')));
    expect(bloods).toEqual(['1', '2', '1']); // newest first: Bob's first blood on 6, Bob's second on 1, Ada's first on 1
    expect(await page.locator('[data-testid=ticker-item]').last().textContent()).toMatch(/First blood\s*Ada solved/);

    await expect.poll(() => page.locator('[data-testid=board-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['Bob', 'Ada']);
    expect(await overflows(page)).toBe(false);
    // Readable from the back of the room: names at least 36 px, the clock at least 64 px.
    const sizes = await page.evaluate(() => ({
      name: parseFloat(getComputedStyle(document.querySelector('.bd-name') as Element).fontSize),
      clock: parseFloat(getComputedStyle(document.querySelector('.bd-clock-value') as Element).fontSize),
    }));
    expect(sizes.name).toBeGreaterThanOrEqual(36);
    expect(sizes.clock).toBeGreaterThanOrEqual(64);
  });

  it('shows announcements and the paused state live', async () => {
    const page = await openBoard(server);
    await waitLive(page);
    await admin(server.url, 'POST', '/api/admin/announcements', { text: 'Pizza in **room 2** at 19:00' });
    await page.getByTestId('board-announcement').waitFor({ timeout: 2000 });
    expect(await page.getByTestId('board-announcement').locator('strong').textContent()).toBe('room 2');
    await admin(server.url, 'POST', '/api/admin/event', { paused: true });
    await expect.poll(() => page.getByTestId('board-clock').getAttribute('data-kind'), { timeout: 2000 }).toBe('paused');
    await admin(server.url, 'POST', '/api/admin/event', { paused: false });
    await expect.poll(() => page.getByTestId('board-clock').getAttribute('data-kind'), { timeout: 2000 }).toBe('time-left');
    expect(await overflows(page)).toBe(false);
  });
});

describe('/board without public_scoreboard', () => {
  it('asks an anonymous visitor to sign in, and works on a player session', async () => {
    const server = await startServer();
    servers.push(server);
    const page = await openBoard(server);
    await page.getByTestId('board-signin').waitFor();

    await page.goto(`${server.url}/`);
    await login(page, server.url, 'player5');
    await page.getByRole('dialog', { name: 'Choose your display name' }).waitFor();
    await page.goto(`${server.url}/board`);
    await page.getByTestId('board').waitFor();
    await waitLive(page);
    const c = new Client(server.url);
    await c.enter('player6', 'password6', 'Session Seen');
    await c.submit(2, '32');
    await page.locator('[data-testid=board-row][data-name="Session Seen"]').waitFor({ timeout: 3000 });
  });
});
