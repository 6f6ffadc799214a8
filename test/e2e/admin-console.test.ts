/**
 * The admin console at /admin (SPEC §8) in real Chromium, against a real server: an organizer signs
 * in, posts an announcement a player sees, watches a wrong flag arrive in the live submissions
 * tail, adjusts a score and sees the board change, and bans a player whose open app is logged out
 * within 2 s. Players never download the console's chunk.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { enterGame, newGuardedPage, openChallenge, startE2E, stopE2E, submitFlag, waitLive, type Guarded } from './support.js';

let server: TestServer;
let browser: Browser;
const pages: Guarded[] = [];
/** console chunk requests made by the player's page */
const playerAdminAssets: string[] = [];
let player: Page;
let console_: Page;

async function openConsole(): Promise<Page> {
  const g = await newGuardedPage(browser, server.url, { viewport: { width: 1440, height: 900 } });
  pages.push(g);
  await g.page.goto(`${server.url}/admin`);
  await g.page.getByLabel('Admin token').fill(TEST_TOKENS.admin);
  await g.page.getByLabel('Your name').fill('Alice Organizer');
  await g.page.getByRole('button', { name: 'Sign in' }).click();
  await g.page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  return g.page;
}

async function goTo(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

async function playerRow(page: Page, username: string) {
  await page.getByLabel('Search players').fill(username);
  const row = page.locator(`[data-testid=player-row][data-username="${username}"]`);
  await row.waitFor();
  return row;
}

beforeAll(async () => {
  [server, browser] = await startE2E();
  // A rival on the board, so the adjustment moves a visible row.
  const rival = new Client(server.url);
  await rival.enter('player2', 'password2', 'Rival Ray');
  expect((await rival.submit(1, '26')).body).toMatchObject({ result: 'correct' });

  const g = await newGuardedPage(browser, server.url);
  pages.push(g);
  player = g.page;
  player.on('request', (r) => {
    if (/\/assets\/AdminApp[-.]/.test(r.url())) playerAdminAssets.push(r.url());
  });
  await enterGame(player, server.url, 'player1', 'Victim Vic');
  console_ = await openConsole();
});

afterAll(async () => {
  await stopE2E(server, browser, pages);
});

describe('admin console', () => {
  it('serves deep links and never shows the token back', async () => {
    await console_.goto(`${server.url}/admin/audit`);
    await console_.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await console_.locator('[data-testid=audit-row][data-action=login]').first().waitFor();
    expect(await console_.content()).not.toContain(TEST_TOKENS.admin);
    await goTo(console_, 'Overview');
  });

  it('posts an announcement with a live preview, and the player sees it', async () => {
    await goTo(console_, 'Announcements');
    await console_.getByLabel(/Message/).fill('**Hint fixed** for challenge 3');
    await expect.poll(() => console_.locator('.admin-preview strong').textContent()).toBe('Hint fixed');
    await console_.getByRole('button', { name: 'Post announcement' }).click();
    await console_.getByTestId('admin-announcement').first().waitFor();
    const toast = player.locator('[data-testid=toast][data-tone=announcement]');
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.textContent()).toContain('Hint fixed');
  });

  it('shows a wrong flag in the live submissions tail', async () => {
    await goTo(console_, 'Submissions');
    await waitLive(console_);
    await openChallenge(player, 2);
    expect(await submitFlag(player, 'definitely-not-it-42')).toBe('incorrect');
    const row = console_.locator('[data-testid=submission-row][data-result=incorrect][data-username=player1]');
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.first().getByTestId('submission-flag').textContent()).toBe('definitely-not-it-42');
  });

  it('adjusts a score and the board follows', async () => {
    await goTo(console_, 'Players');
    const row = await playerRow(console_, 'player2');
    await row.getByRole('button', { name: 'Adjust' }).click();
    const dialog = console_.getByRole('dialog');
    await dialog.getByLabel(/Points/).fill('50');
    await dialog.getByLabel('Reason').fill('Best write-up');
    await dialog.getByRole('button', { name: 'Adjust +50' }).click();
    await dialog.waitFor({ state: 'detached' });
    await goTo(console_, 'Overview');
    const boardRow = console_.locator('[data-testid=admin-standing-row][data-name="Rival Ray"] [data-testid=admin-row-score]');
    await expect.poll(() => boardRow.textContent(), { timeout: 10_000 }).toBe('150');
  });

  it('bans a player whose open app is logged out within 2 s', async () => {
    await waitLive(player); // the ban must close an open socket, not race its opening
    await goTo(console_, 'Players');
    const row = await playerRow(console_, 'player1');
    await row.getByRole('button', { name: 'Ban' }).click();
    const dialog = console_.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Ban' });
    expect(await confirm.isDisabled()).toBe(true); // a reason is required
    await dialog.getByLabel(/Reason/).fill('Flag sharing');
    const started = Date.now();
    await confirm.click();
    await player.getByLabel('Username').waitFor({ timeout: 2000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2000);
    await row.getByTestId('banned-badge').waitFor();
  });

  it('asks for the typed word before a reset', async () => {
    await goTo(console_, 'Reset');
    const button = console_.getByRole('button', { name: 'Reset the game' });
    await console_.getByLabel('Admin token').fill(TEST_TOKENS.admin);
    await console_.getByLabel(/to confirm/).fill('reset');
    expect(await button.isDisabled()).toBe(true);
    await console_.getByLabel(/to confirm/).fill('RESET');
    expect(await button.isDisabled()).toBe(false);
  });

  it('was never downloaded by the player', () => {
    expect(playerAdminAssets).toEqual([]);
  });
});
