/**
 * The event clock and announcements in the app (SPEC §7), in real Chromium against the real server:
 * countdown → challenge list at the start without a reload, the paused banner, announcements live.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { admin, gameWithEvent, iso, markNoReload, signIn, stillNoReload } from './event-support.js';
import { ensureWebBuilt, expectClean, launchBrowser, newGuardedPage, openChallenge, submitFlag, type Guarded, waitLive } from './support.js';

let server: TestServer;
let browser: Browser;
const pages: Guarded[] = [];
const HOUR = 3_600_000;

async function open(): Promise<Page> {
  const g = await newGuardedPage(browser, server.url);
  pages.push(g);
  return g.page;
}

beforeAll(async () => {
  ensureWebBuilt();
  const now = Date.now();
  const game = gameWithEvent(`title: Clockwork Heist\nstart: ${iso(now + HOUR)}\nend: ${iso(now + 3 * HOUR)}\n`);
  [server, browser] = await Promise.all([startServer({ gameDir: game }), launchBrowser()]);
});

afterAll(async () => {
  for (const g of pages) expectClean(g);
  await browser?.close();
  await server?.stop();
});

describe('before the start', () => {
  it('the login page counts down; after sign-in the countdown turns into the challenge list at the start, without a reload', async () => {
    const page = await open();
    await page.goto(`${server.url}/`);
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('countdown-digits').textContent()).toMatch(/^(59:\d\d|1:00:00)$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Clockwork Heist');

    await signIn(page, server.url, 'player1', 'Early Bird');
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('challenge-card').count()).toBe(0);
    await markNoReload(page);

    // The organizer moves the start to a few seconds from now; the screen follows live.
    const start = Date.now() + 4000;
    await admin(server.url, 'POST', '/api/admin/event', { start: iso(start) });
    await expect.poll(async () => (await page.getByTestId('countdown-digits').textContent().catch(() => '')) ?? '', { timeout: 2000 }).toMatch(/^00:0[1-5]$/);

    await page.getByTestId('challenge-card').first().waitFor({ timeout: start - Date.now() + 2500 });
    const late = Date.now() - start;
    expect(late).toBeLessThan(2000); // the server pushes within 1 s; the app refetches at once
    expect(await page.getByTestId('countdown').count()).toBe(0);
    expect(await stillNoReload(page)).toBe(true);
    expect(await page.getByTestId('clock-chip').textContent()).toMatch(/left$/);
  });
});

describe('while running', () => {
  it('the paused banner appears and disappears live; a submit while paused says so', async () => {
    const page = await open();
    await signIn(page, server.url, 'player2', 'Pause Watcher');
    await page.getByTestId('challenge-card').first().waitFor();
    await markNoReload(page);
    await openChallenge(page, 1);

    const t0 = Date.now();
    await admin(server.url, 'POST', '/api/admin/event', { paused: true });
    await page.getByTestId('paused-banner').waitFor({ timeout: 2000 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await page.getByTestId('paused-banner').textContent()).toMatch(/paused/);
    expect(await page.getByTestId('clock-chip').textContent()).toBe('paused');
    expect(await submitFlag(page, '26')).toBe('error');
    expect(await page.getByTestId('flag-result').textContent()).toMatch(/paused/);

    await admin(server.url, 'POST', '/api/admin/event', { paused: false });
    await page.getByTestId('paused-banner').waitFor({ state: 'detached', timeout: 2000 });
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.locator('[data-testid=flag-result] [data-result=correct]').waitFor();
    expect(await stillNoReload(page)).toBe(true);
  });

  it("an announcement reaches a second player's screen within 2 s, rendered sanitized, with an unread mark that survives a reload", async () => {
    const first = await open();
    const second = await open();
    await signIn(first, server.url, 'player3', 'Reader One');
    await signIn(second, server.url, 'player4', 'Reader Two');
    await waitLive(second);

    const text = '**Challenge 7** was fixed. <img src=x onerror="alert(1)"> [Details](#challenge-1)';
    const t0 = Date.now();
    const posted = (await admin(server.url, 'POST', '/api/admin/announcements', { text })).body as { id: number };
    const toast = second.locator('[data-testid=toast][data-tone=announcement]');
    await toast.waitFor({ timeout: 2000 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await toast.textContent()).toMatch(/Challenge 7 was fixed/);
    expect(await second.getByTestId('unread-count').textContent()).toBe('1');
    await first.getByTestId('unread-count').waitFor({ timeout: 2000 });

    // The list renders Markdown like descriptions do: bold kept, the script-bearing attribute gone.
    await second.getByTestId('nav-announcements').click();
    const item = second.locator(`[data-testid=announcement][data-id="${posted.id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-unread')).toBe('true');
    expect(await item.locator('strong').textContent()).toBe('Challenge 7');
    expect(await item.locator('img[onerror]').count()).toBe(0);
    await second.getByTestId('unread-count').waitFor({ state: 'detached' });

    // Read state is kept in the browser: after a reload the mark stays off for this player only.
    await second.reload();
    await second.getByTestId('user-chip').waitFor();
    await second.waitForTimeout(500);
    expect(await second.getByTestId('unread-count').count()).toBe(0);
    expect(await first.getByTestId('unread-count').textContent()).toBe('1');

    // A deletion removes it live everywhere.
    await admin(server.url, 'DELETE', `/api/admin/announcements/${posted.id}`);
    await item.waitFor({ state: 'detached', timeout: 2000 });
    await first.getByTestId('unread-count').waitFor({ state: 'detached', timeout: 2000 });
  });
});
