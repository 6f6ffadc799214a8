/**
 * Regenerates docs/screenshots/*.png (desktop 1440×900 and phone 375×812) from a live game.
 * A separate vitest project (not part of npm test), because it rewrites files in the repository:
 *   npm run screenshots
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { REPO_ROOT, startServer, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { admin, gameWithEvent, iso } from './event-support.js';
import { chooseName, ensureWebBuilt, expectClean, launchBrowser, login, newGuardedPage, type Guarded } from './support.js';

const OUT = path.join(REPO_ROOT, 'docs', 'screenshots');
const FLAGS: Record<number, string> = { 1: '26', 2: '32', 3: '10', 4: '2', 5: '4', 6: '75', 7: '150', 8: '1/5', 13: '45' };
const RIVALS = ['Ada Lovelace', 'Grace Hopper', 'Alan T', 'Katherine J', 'Linus', 'Margaret H', 'Dennis R', 'Barbara L', 'Ken T'];
const PATHS = [
  [1, 2, 3, 6, 4, 8, 13, 5],
  [6, 1, 2, 3, 7, 5],
  [2, 1, 6, 3, 13],
  [1, 6, 7, 2, 8],
  [2, 8, 1, 3],
  [6, 13, 1],
  [1, 3, 4],
  [2, 6],
  [6],
];

/** Console pages after the overview, each with what to wait for before the picture. */
const ADMIN_SHOTS: ReadonlyArray<readonly [string, string]> = [
  ['players', '[data-testid=player-row]'],
  ['submissions', '[data-testid=submission-row]'],
  ['challenges', '[data-testid=admin-challenge-row]'],
  ['announcements', '[data-testid=admin-announcement]'],
  ['audit', '[data-testid=audit-row]'],
  ['export', '[data-testid=results-csv]'],
  ['reset', '#reset-word'],
];

let server: TestServer;
let browser: Browser;
const pages: Guarded[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shoot(page: Page, name: string, opts: { keepToasts?: boolean } = {}): Promise<void> {
  await page.mouse.move(0, 0);
  // let toasts and entry animations settle so the picture shows the resting UI
  if (opts.keepToasts !== true) {
    for (const btn of await page.getByRole('button', { name: 'Dismiss' }).all()) await btn.click().catch(() => undefined);
  }
  await sleep(500);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

describe('screenshots', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    fs.mkdirSync(OUT, { recursive: true });
    // Open (no start), three hours to go, with a public projector board.
    const game = gameWithEvent(`title: Math Mystery Challenge\nend: ${iso(Date.now() + 3 * 3_600_000)}\npublic_scoreboard: true\n`);
    [server, browser] = await Promise.all([startServer({ gameDir: game }), launchBrowser()]);
  });

  afterAll(async () => {
    for (const g of pages) expectClean(g);
    await browser?.close();
    await server?.stop();
  });

  it('captures login, challenges, challenge detail with a revealed hint, and the live scoreboard', async () => {
    const desktop = await newGuardedPage(browser, server.url, { viewport: { width: 1440, height: 900 } });
    const phoneCtx = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phone: Guarded = { context: phoneCtx, page: await phoneCtx.newPage(), foreign: [], problems: [] };
    pages.push(desktop);
    const d = desktop.page;
    const p = phone.page;

    for (const [page, tag] of [[d, 'desktop'], [p, 'phone']] as const) {
      await page.goto(`${server.url}/`);
      await page.getByLabel('Username').waitFor();
      await shoot(page, `login-${tag}`);
    }

    // Before the start: the countdown on the login page and in place of the challenge list.
    await admin(server.url, 'POST', '/api/admin/event', { start: iso(Date.now() + 2 * 3_600_000 + 14 * 60_000 + 9000) });
    await d.reload();
    await d.getByTestId('countdown').waitFor();
    await shoot(d, 'countdown-login-desktop');
    await login(d, server.url, 'player1');
    await chooseName(d, 'Anthony');
    await d.getByTestId('countdown').waitFor();
    await shoot(d, 'countdown-desktop');
    await admin(server.url, 'POST', '/api/admin/event', { start: null });
    await d.getByTestId('challenge-card').first().waitFor();
    await login(p, server.url, 'player1');
    await p.getByTestId('challenge-card').first().waitFor();
    for (const page of [d, p]) await page.getByRole('link', { name: 'Scoreboard' }).click();
    // The projector watches the whole game anonymously (public_scoreboard), so its ticker fills up.
    const boardCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const board = await boardCtx.newPage();
    await board.goto(`${server.url}/board`);
    await board.getByTestId('board').waitFor();

    // A small live game: rivals solve along their paths in rounds while both screens watch.
    const rivals = await Promise.all(
      RIVALS.map(async (name, i) => {
        const c = new Client(server.url);
        await c.enter(`player${i + 2}`, `password${i + 2}`, name);
        return c;
      }),
    );
    const me = new Client(server.url);
    await me.login('player1', 'password1');
    const mine = [1, 6, 2];
    for (let round = 0; round < 8; round++) {
      for (const [i, c] of rivals.entries()) {
        const id = PATHS[i]?.[round];
        if (id === undefined || Math.random() < 0.25) continue;
        if (round % 3 === 1 && i % 2 === 0) await c.hint(id, 1);
        await c.submit(id, FLAGS[id] ?? '');
        await sleep(120);
      }
      const my = mine[round];
      if (my !== undefined) await me.submit(my, FLAGS[my] ?? '');
      await sleep(900);
    }
    await sleep(800);
    await shoot(d, 'scoreboard-desktop');
    await shoot(p, 'scoreboard-phone');

    // An announcement: the toast on arrival, then the list with its unread mark.
    await admin(server.url, 'POST', '/api/admin/announcements', {
      text: '**Challenge 7 was fixed.** The expected answer now accepts `150` as well as `150.0` — resubmit if you were stuck.',
    });
    await d.locator('[data-testid=toast][data-tone=announcement]').waitFor();
    await shoot(d, 'announcement-toast-desktop', { keepToasts: true });
    await board.getByTestId('board-announcement').waitFor();
    await board.getByTestId('board-blood-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await sleep(400);
    await board.screenshot({ path: path.join(OUT, 'board-1920x1080.png') });
    await boardCtx.close();

    for (const page of [d, p]) {
      await page.getByRole('link', { name: 'Challenges' }).click();
      await page.locator('[data-testid=challenge-card][data-id="3"]').waitFor();
    }
    await shoot(d, 'challenges-desktop');
    await shoot(p, 'challenges-phone');

    // Detail: the first hint revealed, the next one for sale, the last one locked.
    await d.locator('[data-testid=challenge-card][data-id="3"]').click();
    await d.getByRole('button', { name: /Reveal hint 1/ }).click();
    await d.getByRole('dialog').getByRole('button', { name: /Reveal for/ }).click();
    await d.locator('[data-testid=hint][data-state=revealed]').waitFor();
    await shoot(d, 'challenge-detail-desktop');
    await d.goto(`${server.url}/#announcements`);
    await d.getByTestId('announcement').first().waitFor();
    await shoot(d, 'announcements-desktop');
    await p.goto(`${server.url}/#challenge-3`);
    await p.locator('[data-testid=hint][data-state=revealed]').waitFor();
    await shoot(p, 'challenge-detail-phone');
    await phoneCtx.close();
  }, 240_000);

  it('captures every page of the admin console', async () => {
    // Some traffic for the tail: wrong guesses and one more solve, an adjustment and a ban.
    const guesser = new Client(server.url);
    await guesser.login('player3', 'password3');
    for (const flag of ['27', 'twenty-six', '25']) await guesser.submit(1, flag);
    await guesser.submit(2, FLAGS[2] ?? '');
    await admin(server.url, 'POST', '/api/admin/adjust', { username: 'player4', points: 50, reason: 'Best write-up' }).catch(() => undefined);
    await admin(server.url, 'POST', '/api/admin/players/ban', { username: 'player10', reason: 'Flag sharing' }).catch(() => undefined);

    const desktop = await newGuardedPage(browser, server.url, { viewport: { width: 1440, height: 900 } });
    const phoneCtx = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phone: Guarded = { context: phoneCtx, page: await phoneCtx.newPage(), foreign: [], problems: [] };
    pages.push(desktop);
    for (const [page, tag] of [[desktop.page, 'desktop'], [phone.page, 'phone']] as const) {
      await page.goto(`${server.url}/admin`);
      await page.getByLabel('Your name').fill('Alice Organizer');
      await shoot(page, `admin-login-${tag}`);
      await page.getByLabel('Admin token').fill(TEST_TOKENS.admin);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('admin-clock').waitFor();
      await sleep(800);
      await shoot(page, `admin-overview-${tag}`);
      for (const [slug, ready] of ADMIN_SHOTS) {
        await page.goto(`${server.url}/admin/${slug}`);
        await page.locator(ready).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
        if (slug === 'announcements') await page.getByLabel(/Message/).fill('**Heads up:** the scoreboard freezes at 11:30.');
        await shoot(page, `admin-${slug}-${tag}`);
      }
    }
    await phoneCtx.close();
  }, 240_000);
});
