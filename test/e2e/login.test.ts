/** Signing in and naming yourself (SPEC §3: /api/login, /api/set-name, /api/logout). */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { chooseName, type Guarded, login, newGuardedPage, startE2E, stopE2E } from './support.js';

let server: TestServer;
let browser: Browser;
const pages: Guarded[] = [];

async function fresh(): Promise<Guarded> {
  const g = await newGuardedPage(browser, server.url);
  pages.push(g);
  await g.page.goto(`${server.url}/`);
  return g;
}

beforeAll(async () => {
  [server, browser] = await startE2E();
});

afterAll(() => stopE2E(server, browser, pages));

describe('login', () => {
  it('shows an error for bad credentials and stays on the login page', async () => {
    const { page } = await fresh();
    await login(page, server.url, 'player1', 'wrong-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Wrong username or password.');
    expect(await page.getByLabel('Username').isVisible()).toBe(true);
  });

  it('shows the rate limit with its Retry-After after repeated failures', async () => {
    const api = new Client(server.url);
    for (let i = 0; i < 12; i++) await api.login('player2', 'nope');
    const { page } = await fresh();
    await login(page, server.url, 'player2', 'nope');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/Too many login attempts\. Try again in \d+ (s|min)/);
    expect(await page.getByRole('button', { name: /Try again in/ }).isDisabled()).toBe(true);
  });

  it('reports a network failure', async () => {
    const { page, context } = await fresh();
    await context.route('**/api/login', (route) => route.abort('connectionrefused'));
    await login(page, server.url, 'player3');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/reach the server/);
    await context.unroute('**/api/login');
  });

  it('good login asks for a name; the server message is shown verbatim, then the name is accepted', async () => {
    const { page } = await fresh();
    await login(page, server.url, 'player4');
    const dialog = page.getByRole('dialog', { name: 'Choose your display name' });
    await dialog.waitFor();
    // focus starts inside the dialog
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('display-name');

    await chooseName(page, 'x');
    const direct = await new Client(server.url).request('GET', '/api/me');
    expect(direct.status).toBe(401); // sanity: a cookieless client is not signed in
    const err = page.getByTestId('name-error');
    await err.waitFor();
    const shown = await err.textContent();
    // The exact server wording: ask the server the same question and compare.
    const probe = new Client(server.url);
    await probe.login('player5', 'password5');
    const expected = await probe.request<{ error: string }>('POST', '/api/set-name', { name: 'x' });
    expect(expected.status).toBe(400);
    expect(shown).toBe(expected.body.error);

    await chooseName(page, 'Ada Lovelace');
    await page.getByTestId('challenge-card').first().waitFor();
    expect(await page.getByTestId('nav-name').textContent()).toBe('Ada Lovelace');
    expect(await page.getByTestId('nav-points').textContent()).toBe('0 pts');
  });

  it('a taken name gets the 409 message', async () => {
    const other = new Client(server.url);
    await other.enter('player6', 'password6', 'Grace Hopper');
    const { page } = await fresh();
    await login(page, server.url, 'player7');
    await chooseName(page, 'grace hopper');
    await expect.poll(() => page.getByTestId('name-error').textContent()).toMatch(/already taken/);
  });

  it('Tab stays inside the name dialog and Escape cancels by logging out', async () => {
    const { page } = await fresh();
    await login(page, server.url, 'player8');
    await page.getByRole('dialog').waitFor();
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => (document.activeElement?.closest('[role=dialog]') ? 'dialog' : (document.activeElement?.outerHTML ?? 'none').slice(0, 80)));
      expect(where).toBe('dialog');
    }
    await page.keyboard.press('Escape');
    await page.getByLabel('Username').waitFor();
    // the session is really gone
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
  });

  it('a returning named player skips the dialog, and logout returns to the login page', async () => {
    const { page } = await fresh();
    await login(page, server.url, 'player4');
    await page.getByTestId('challenge-card').first().waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.reload();
    await page.getByTestId('challenge-card').first().waitFor(); // the session cookie survives a reload
    await page.getByRole('button', { name: 'Logout' }).click();
    await page.getByLabel('Username').waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
  });
});
