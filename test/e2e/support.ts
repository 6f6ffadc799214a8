/**
 * Browser helpers for the end-to-end tests: one headless Chromium per test file, contexts that
 * refuse (and record) any request leaving the server's origin, and page-level steps (log in,
 * name yourself, open a challenge) written against the app's labels and test ids.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { REPO_ROOT, startServer, type TestServer, type TestServerOptions } from '../helpers/server.js';

export const CHROMIUM_PATH = process.env.CTFG_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The server lists web/dist once at start, so the app must be built before any server is spawned.
 * Rebuilds only when a web source is newer than the build (npm test builds first anyway).
 */
export function ensureWebBuilt(): void {
  const index = path.join(REPO_ROOT, 'web', 'dist', 'index.html');
  const src = Math.max(newestMtime(path.join(REPO_ROOT, 'web', 'src')), fs.statSync(path.join(REPO_ROOT, 'web', 'index.html')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= src) return;
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--emptyOutDir', '--logLevel', 'error'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`vite build failed:\n${res.stdout}\n${res.stderr}`);
}

/** A file's server and browser, started together (the app built first). */
export async function startE2E(options: TestServerOptions = {}): Promise<[TestServer, Browser]> {
  ensureWebBuilt();
  return Promise.all([startServer(options), launchBrowser()]);
}

/** A test file's browser, with the servers and pages its tests open: checked and stopped after all of them. */
export interface BrowserSuite {
  readonly browser: () => Browser;
  readonly servers: TestServer[];
  readonly pages: Guarded[];
  /** a new guarded page, kept for the final origin check */
  readonly page: (origin: string, opts?: ContextOptions) => Promise<Page>;
}

/** Registers the file's beforeAll/afterAll: one browser (the app built first), every page origin-checked at the end. */
export function browserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  const servers: TestServer[] = [];
  const pages: Guarded[] = [];
  beforeAll(async () => {
    ensureWebBuilt();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const g of pages) expectClean(g);
    await browser?.close();
    for (const s of servers) await s.stop();
  });
  const get = (): Browser => {
    if (browser === undefined) throw new Error('the browser starts in beforeAll');
    return browser;
  };
  return {
    browser: get,
    servers,
    pages,
    page: async (origin, opts) => {
      const g = await newGuardedPage(get(), origin, opts);
      pages.push(g);
      return g.page;
    },
  };
}

/** Checks every page stayed on the origin, then closes the browser and stops the server. */
export async function stopE2E(server: TestServer | undefined, browser: Browser | undefined, pages: readonly Guarded[]): Promise<void> {
  for (const g of pages) expectClean(g);
  await browser?.close();
  await server?.stop();
}

export interface Guarded {
  readonly context: BrowserContext;
  readonly page: Page;
  /** URLs that tried to leave the origin (should stay empty) */
  readonly foreign: string[];
  /** uncaught page errors and dialogs (alert/confirm from an XSS payload would land here) */
  readonly problems: string[];
}

export interface ContextOptions {
  readonly viewport?: { width: number; height: number };
}

/**
 * A fresh browser context whose every request is routed through a guard: same-origin requests go
 * through, anything else is aborted and recorded. WebSockets are checked by URL as they open.
 */
export async function newGuardedPage(browser: Browser, origin: string, opts: ContextOptions = {}): Promise<Guarded> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 860 } });
  const foreign: string[] = [];
  const problems: string[] = [];
  const wsOrigin = origin.replace(/^http/, 'ws');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === origin || url.startsWith(`${origin}/`)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(`${wsOrigin}/`)) foreign.push(ws.url());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  return { context, page, foreign, problems };
}

export function expectClean(g: Guarded): void {
  expect(g.foreign, 'requests that left the origin').toEqual([]);
  expect(g.problems, 'page errors or dialogs').toEqual([]);
}

/**
 * Waits until the page's connection pill says live. Generous: connecting is not what these tests
 * time (a loaded CI machine can take seconds), the 2 s live-update checks come after it.
 */
export async function waitLive(page: Page, timeout = 20_000): Promise<void> {
  await expect.poll(() => page.getByTestId('conn-status').first().getAttribute('data-status'), { timeout }).toBe('live');
}

export function password(username: string): string {
  return username.replace('player', 'password');
}

export async function login(page: Page, base: string, username: string, pass = password(username)): Promise<void> {
  if (!page.url().startsWith(base)) await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(pass);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function chooseName(page: Page, name: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Choose your display name' });
  await dialog.getByLabel('Display name').fill(name);
  await dialog.getByRole('button', { name: 'Start playing' }).click();
}

/** Logs in as a fresh player and picks a name; resolves once the challenge board is visible. */
export async function enterGame(page: Page, base: string, username: string, name: string): Promise<void> {
  await page.goto(`${base}/#challenges`);
  await login(page, base, username);
  await chooseName(page, name);
  await page.getByTestId('challenge-card').first().waitFor();
}

export async function openChallenge(page: Page, id: number): Promise<void> {
  await page.locator(`[data-testid=challenge-card][data-id="${id}"]`).click();
  await page.locator(`[data-testid=challenge-detail][data-id="${id}"]`).waitFor();
}

export async function submitFlag(page: Page, flag: string): Promise<string> {
  await page.getByLabel('Flag', { exact: true }).fill(flag);
  await page.getByRole('button', { name: 'Submit' }).click();
  const result = page.getByTestId('flag-result').locator('[data-result]');
  await result.waitFor();
  return (await result.getAttribute('data-result')) ?? '';
}

/** The standings table as [name, score] pairs, in displayed order. */
export async function tableRows(page: Page): Promise<Array<[string, number]>> {
  return page.locator('[data-testid=standing-row]').evaluateAll((rows) =>
    rows.map((r) => [r.getAttribute('data-name') ?? '', Number(r.querySelector('[data-testid=row-score]')?.textContent?.replace(/[^\d-]/g, '') ?? 'NaN')] as [string, number]),
  );
}

/** The chart's series (from its text alternative) as name → latest score. */
export async function chartScores(page: Page): Promise<Record<string, number>> {
  return page.locator('[data-testid=chart-data] li').evaluateAll((items) =>
    Object.fromEntries(items.map((li) => [li.getAttribute('data-name') ?? '', Number(li.getAttribute('data-score'))])),
  );
}

export async function navPoints(page: Page): Promise<number> {
  const text = (await page.getByTestId('nav-points').textContent()) ?? '';
  return Number(text.replace(/[^\d-]/g, ''));
}
