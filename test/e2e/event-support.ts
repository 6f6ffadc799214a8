/** Shared steps for the event e2e tests (SPEC §7): a game folder with an event.yaml, admin calls. */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURE_GAME, TEST_TOKENS, tempDir } from '../helpers/server.js';
import { chooseName, login } from './support.js';

/** The compat fixture (banner included) plus the given event.yaml lines. */
export function gameWithEvent(eventYaml: string): string {
  const dir = tempDir('ctfg-event-game-');
  fs.cpSync(FIXTURE_GAME, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'event.yaml'), eventYaml);
  return dir;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** An admin call with the Bearer token, as an organizer's script would make it. */
export async function admin(base: string, method: 'POST' | 'DELETE', pathname: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + pathname, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKENS.admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text for the assertion message
  }
  if (res.status >= 300) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return { status: res.status, body: parsed };
}

/** Logs in and names the player, without waiting for challenge cards (there may be none yet). */
export async function signIn(page: Page, base: string, username: string, name: string): Promise<void> {
  await page.goto(`${base}/#challenges`);
  await login(page, base, username);
  await chooseName(page, name);
  await page.getByTestId('user-chip').waitFor();
}

/** Marks the window so a test can prove no reload happened since. */
export async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}

export async function stillNoReload(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
}
