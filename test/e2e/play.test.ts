/** Playing: flags, hints, prerequisites, deep links (SPEC §3: /api/challenges, /api/submit, /api/hint). */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { enterGame, type Guarded, navPoints, newGuardedPage, openChallenge, startE2E, stopE2E, submitFlag } from './support.js';

let server: TestServer;
let browser: Browser;
const pages: Guarded[] = [];
let nextPlayer = 20;

/** A brand-new named player on the challenge board. */
async function player(name: string): Promise<Page> {
  const g = await newGuardedPage(browser, server.url);
  pages.push(g);
  await enterGame(g.page, server.url, `player${nextPlayer++}`, name);
  return g.page;
}

const card = (page: Page, id: number) => page.locator(`[data-testid=challenge-card][data-id="${id}"]`);
const hints = (page: Page) => page.getByTestId('hint');

beforeAll(async () => {
  [server, browser] = await startE2E();
});

afterAll(() => stopE2E(server, browser, pages));

describe('challenges', () => {
  it('shows only visible challenges, grouped by category with difficulty and points', async () => {
    const page = await player('Board Viewer');
    const ids = await page.getByTestId('challenge-card').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(ids.sort((a, b) => a - b)).toEqual([1, 2, 6]); // the fixture's challenges without requirements
    const first = card(page, 1);
    expect(await first.locator('.diff').textContent()).toBe('Easy');
    expect(await first.locator('.ch-points').textContent()).toBe('100 pts');
    expect(await page.getByRole('region', { name: 'Warm-up' }).count()).toBe(1);
  });

  it('a correct testflag celebrates, updates the total, marks the card and unlocks the next challenge', async () => {
    const page = await player('Solver One');
    expect(await card(page, 3).count()).toBe(0);
    await openChallenge(page, 1);
    expect(await submitFlag(page, '26')).toBe('correct');
    expect(await page.getByTestId('flag-result').textContent()).toMatch(/Correct! \+100 points — your score is now 100/);
    await expect.poll(() => navPoints(page)).toBe(100);
    expect(await page.locator('.confetti').count()).toBe(1);
    await page.getByTestId('solved-banner').waitFor();

    // the unlocked challenge is announced and appears on the board right away
    await page.getByText('New challenge unlocked: The Keeper\'s Cat').waitFor();
    await page.getByRole('link', { name: 'Back to Challenges' }).click();
    await card(page, 3).waitFor();
    expect(await card(page, 1).getAttribute('data-solved')).toBe('true');
    expect(await card(page, 3).locator('.new-badge').count()).toBe(1);

    // submitting again says so
    await openChallenge(page, 1);
    expect(await submitFlag(page, '26')).toBe('already_solved');
  });

  it('an incorrect flag says so and keeps the score', async () => {
    const page = await player('Wrong Guesser');
    await openChallenge(page, 2);
    expect(await submitFlag(page, '31')).toBe('incorrect');
    expect(await page.getByTestId('flag-result').textContent()).toMatch(/incorrect/);
    expect(await navPoints(page)).toBe(0);
    expect(await card(page, 2).count()).toBe(0); // still on the detail page
  });

  it('too many wrong flags shows the rate limit and its wait time', async () => {
    const page = await player('Brute Forcer');
    await openChallenge(page, 6);
    // spend the wrong-flag bucket directly (burst 10), from the same session and origin
    await page.evaluate(async () => {
      for (let i = 0; i < 12; i++) {
        await fetch('/api/submit', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 6, flag: `nope${i}` }) });
      }
    });
    expect(await submitFlag(page, 'still-wrong')).toBe('error');
    expect(await page.getByTestId('flag-result').textContent()).toMatch(/Too many wrong flags\. Try again in \d+ (s|min)/);
    expect(await page.getByRole('button', { name: /Wait \d+ s/ }).isDisabled()).toBe(true);
  });

  it('a deep link to a locked challenge shows "not available" until its requirement is solved', async () => {
    const page = await player('Deep Linker');
    await page.goto(`${server.url}/#challenge-3`);
    await page.getByRole('heading', { name: 'Challenge not available' }).waitFor();
    // solve the requirement in the same session (as another tab would), then come back
    const res = await page.evaluate(async () =>
      (await fetch('/api/submit', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 1, flag: '26' }) })).json(),
    );
    expect(res).toMatchObject({ result: 'correct' });
    // the player's own live event triggers a refetch: the page fills in without a reload
    await page.locator('[data-testid=challenge-detail][data-id="3"]').waitFor({ timeout: 5000 });
    await expect.poll(() => navPoints(page)).toBe(100);
  });

  it('back and forward follow the hash routes; cards work from the keyboard', async () => {
    const page = await player('Navigator');
    await card(page, 2).focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=challenge-detail][data-id="2"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#challenge-2');
    await page.getByRole('link', { name: 'Scoreboard' }).click();
    await page.getByRole('heading', { name: 'Scoreboard', level: 1 }).waitFor();
    await page.goBack();
    await page.locator('[data-testid=challenge-detail][data-id="2"]').waitFor();
    await page.goBack();
    await card(page, 2).waitFor();
    await page.goForward();
    await page.locator('[data-testid=challenge-detail][data-id="2"]').waitFor();
  });

  it('the heading that takes focus on navigation shows a ring for keyboard users only; the footer names ctfg once', async () => {
    const page = await player('Ring Watcher');
    const headingRing = (): Promise<string> =>
      page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const h = document.getElementById('page-title');
        return h !== null && document.activeElement === h ? getComputedStyle(h).boxShadow : 'not focused';
      });
    // Mouse: a click, then the browser's Back button (no key pressed in the page).
    await card(page, 1).click();
    await page.locator('[data-testid=challenge-detail][data-id="1"]').waitFor();
    await expect.poll(headingRing).toBe('none');
    await page.getByRole('link', { name: 'Scoreboard' }).click();
    await page.getByRole('heading', { name: 'Scoreboard', level: 1 }).waitFor();
    await page.goBack();
    await page.locator('[data-testid=challenge-detail][data-id="1"]').waitFor();
    await expect.poll(headingRing).toBe('none');
    // Keyboard: the ring shows where focus landed.
    await page.getByRole('link', { name: 'Scoreboard' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Scoreboard', level: 1 }).waitFor();
    await expect.poll(headingRing).toMatch(/rgba\(96, 165, 250/);

    expect((await page.locator('footer').textContent())?.trim()).toBe('powered by ctfg');
  });
});

describe('hints', () => {
  it('free hints reveal without confirmation and render their Markdown', async () => {
    const page = await player('Free Hinter');
    await openChallenge(page, 1);
    expect(await hints(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['available', 'locked']);
    expect(await hints(page).nth(1).textContent()).toContain('Locked – reveal earlier hints first');
    await page.getByRole('button', { name: /Reveal hint 1/ }).click();
    await expect.poll(() => hints(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['revealed', 'available']);
    expect(await hints(page).nth(0).locator('mark').count()).toBe(1);
    await page.getByRole('button', { name: /Reveal hint 2/ }).click();
    await hints(page).nth(1).locator('table').waitFor(); // the Markdown table in hint 2
    expect(await navPoints(page)).toBe(0);
  });

  it('a paid hint asks first, fails with insufficient points, and works once the player can afford it', async () => {
    const page = await player('Paid Hinter');
    await openChallenge(page, 2);
    expect(await hints(page).nth(0).textContent()).toContain('Hint 1 (10 pts)');

    await page.getByRole('button', { name: /Reveal hint 1 for 10 points/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Reveal this hint?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await confirm.count()).toBe(0);

    await page.getByRole('button', { name: /Reveal hint 1 for 10 points/ }).click();
    await confirm.getByRole('button', { name: 'Reveal for 10 pts' }).click();
    await expect.poll(() => page.getByTestId('hint-error').textContent()).toBe('Not enough points: this hint costs 10 pts and you have 0.');

    expect(await submitFlag(page, '32')).toBe('correct');
    await expect.poll(() => navPoints(page)).toBe(120);
    await page.getByRole('button', { name: /Reveal hint 1 for 10 points/ }).click();
    await confirm.getByRole('button', { name: 'Reveal for 10 pts' }).click();
    await expect.poll(() => hints(page).nth(0).getAttribute('data-state')).toBe('revealed');
    expect(await hints(page).nth(0).textContent()).toContain('BEDMAS');
    await expect.poll(() => navPoints(page)).toBe(110);
    expect(await hints(page).nth(1).getAttribute('data-state')).toBe('available');
  });

  it('locked hints: later hints are locked in the UI and the server answers 403, which the UI explains', async () => {
    const page = await player('Locked Hinter');
    await openChallenge(page, 2);
    expect(await hints(page).nth(1).getAttribute('data-state')).toBe('locked');
    expect(await hints(page).nth(1).getByRole('button').count()).toBe(0);
    const status = await page.evaluate(async () => {
      const post = (body: unknown) => fetch('/api/hint', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return [(await post({ id: 2, hint_id: 2 })).status, (await post({ id: 5, hint_id: 1 })).status];
    });
    expect(status).toEqual([403, 403]); // an earlier hint not bought; a locked challenge

    // A stale page (another tab changed things) gets the 403 and explains it.
    await page.route('**/api/hint', (route) => route.fulfill({ status: 403, contentType: 'application/json', body: '{"error":"locked"}' }));
    await page.getByRole('button', { name: /Reveal hint 1/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: /Reveal for/ }).click();
    await expect.poll(() => page.getByTestId('hint-error').textContent()).toBe('Reveal the earlier hints first.');
    await page.unroute('**/api/hint');
  });
});
