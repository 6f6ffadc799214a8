/**
 * Hostile text stays inert: challenge descriptions, hints and content are Markdown+HTML rendered
 * through DOMPurify; titles, categories and display names are always text.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { writeGame } from '../helpers/game.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { ensureWebBuilt, enterGame, expectClean, launchBrowser, login, newGuardedPage, openChallenge, type Guarded } from './support.js';

const PAYLOADS = [
  '<script>window.__xss = "script"</script>',
  '<img src="x" onerror="window.__xss = \'img\'; alert(1)">',
  '<svg onload="window.__xss = \'svg\'"><script>window.__xss = "svg-script"</script></svg>',
  '<iframe src="javascript:window.parent.__xss = \'iframe\'"></iframe>',
  '<a id="jslink" href="javascript:window.__xss = \'link\'">click me</a>',
  '[md link](javascript:window.__xss=1)',
  '<div id="clicky" onclick="window.__xss = \'click\'">click the div</div>',
  '<form action="https://example.com/steal"><input name="flag"><button>go</button></form>',
  '<style>body { display: none }</style>',
  '<math><mi xlink:href="javascript:window.__xss=1">m</mi></math>',
  '<object data="javascript:window.__xss=1"></object><embed src="javascript:window.__xss=1">',
  '<a href="https://example.com/docs" id="ext">external docs</a>',
  '**bold markdown** and <b>bold html</b>',
  '```python\ndef solve():\n    return "flag"\n```',
].join('\n\n');

const HOSTILE = '<img src=x onerror="window.__xss=\'title\'">';

let server: TestServer;
let browser: Browser;
const pages: Guarded[] = [];

async function player(username: string, name: string): Promise<Page> {
  const g = await newGuardedPage(browser, server.url);
  pages.push(g);
  await enterGame(g.page, server.url, username, name);
  return g.page;
}

/** Everything dangerous that could be left inside rendered author content. */
async function dangerousLeftovers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const root of document.querySelectorAll('.prose')) {
      for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'object', 'embed', 'style', 'form', 'input', 'button', 'math'].includes(tag)) found.push(`<${tag}>`);
        for (const attr of el.getAttributeNames()) {
          const value = el.getAttribute(attr) ?? '';
          if (attr.startsWith('on')) found.push(`${tag}[${attr}]`);
          if (/^\s*javascript:/i.test(value)) found.push(`${tag}[${attr}=${value}]`);
        }
      }
    }
    return found;
  });
}

beforeAll(async () => {
  ensureWebBuilt();
  const gameDir = writeGame({
    challenges: [
      {
        id: 1,
        title: `Hostile ${HOSTILE} title`,
        category: `Cat ${HOSTILE}`,
        difficulty: `<b>Easy</b>`,
        points: 100,
        description: PAYLOADS,
        flag: '^ok$',
        testflag: 'ok',
        content: PAYLOADS,
        hints: [{ id: 1, text: PAYLOADS, cost: 0 }],
      },
    ],
  });
  [server, browser] = await Promise.all([startServer({ gameDir }), launchBrowser()]);
});

afterAll(async () => {
  for (const g of pages) expectClean(g);
  await browser?.close();
  await server?.stop();
});

describe('XSS', () => {
  it('challenge description, content and hints are sanitized; legit formatting survives', async () => {
    const page = await player('player1', 'Careful Reader');
    const card = page.locator('[data-testid=challenge-card][data-id="1"]');
    expect(await card.locator('.ch-title').textContent()).toBe(`Hostile ${HOSTILE} title`);
    expect(await card.locator('img').count()).toBe(0);
    expect(await page.getByRole('heading', { name: `Cat ${HOSTILE}` }).count()).toBe(1);

    await openChallenge(page, 1);
    await page.getByRole('button', { name: /Reveal hint 1/ }).click();
    await page.locator('[data-testid=hint][data-state=revealed]').waitFor();
    // three rendered copies: description, content, hint
    expect(await page.locator('.prose').count()).toBe(3);

    // try to trigger whatever might have survived
    for (const sel of ['#jslink', '#clicky']) {
      const el = page.locator(`.description ${sel}`);
      if ((await el.count()) > 0) await el.click();
    }
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await dangerousLeftovers(page)).toEqual([]);
    expect(await page.locator('body').isVisible()).toBe(true); // the <style> did not apply

    const ext = page.locator('.description a#ext');
    expect(await ext.getAttribute('target')).toBe('_blank');
    expect(await ext.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.locator('.description strong').first().textContent()).toBe('bold markdown');
    expect(await page.locator('.description b').first().textContent()).toBe('bold html');
    expect(await page.locator('.description pre code.hljs .hljs-keyword').first().textContent()).toBe('def');
    expect(await page.locator('[data-testid=challenge-detail] h1').textContent()).toBe(`Hostile ${HOSTILE} title`);
  });

  it('display names with HTML are refused by the server (message shown as text) and never execute', async () => {
    const g = await newGuardedPage(browser, server.url);
    pages.push(g);
    const { page } = g;
    await page.goto(`${server.url}/`);
    await login(page, server.url, 'player2');
    const dialog = page.getByRole('dialog', { name: 'Choose your display name' });
    await dialog.getByLabel('Display name').fill('<script>window.__xss=1</script>');
    await dialog.getByRole('button', { name: 'Start playing' }).click();
    const err = page.getByTestId('name-error');
    await err.waitFor();
    expect(await err.locator('*').count()).toBe(0); // plain text, no markup
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  });

  it("names with the allowed punctuation show as plain text on everyone's scoreboard", async () => {
    const tricky = "O'Neil (#1) @home!";
    const solver = new Client(server.url);
    await solver.enter('player3', 'password3', tricky);
    await solver.submit(1, 'ok');
    const page = await player('player4', 'Board Reader');
    await page.getByRole('link', { name: 'Scoreboard' }).click();
    const row = page.locator('[data-testid=standing-row]').filter({ hasText: tricky });
    await row.waitFor();
    expect(await row.getByTestId('row-name').textContent()).toBe(tricky);
    expect(await row.getByTestId('row-name').locator('*').count()).toBe(0);
  });
});
