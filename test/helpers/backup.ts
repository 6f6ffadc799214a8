import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BACKEND, databaseFor } from './backend.js';
import { Client } from './client.js';
import { FIXTURE_GAME, runCli, TEST_TOKENS, tempDir } from './server.js';

type Backend = 'sqlite' | 'postgres';

/** The CLI flags that name the store of the game kept under `dbDir`. */
export async function storeArgs(dbDir: string, backend: Backend = BACKEND): Promise<string[]> {
  return backend === 'postgres' ? ['--database', await databaseFor(dbDir)] : ['-g', FIXTURE_GAME, '-b', dbDir];
}

/** `ctfg export` of that store, as lines. */
export async function exportLines(dbDir: string, backend: Backend = BACKEND): Promise<string[]> {
  const r = await runCli(['export', ...(await storeArgs(dbDir, backend))], {}, 120_000);
  if (r.code !== 0) throw new Error(`export failed: ${r.stderr}`);
  expect(r.stderr).toBe(''); // quiet for a small game
  return r.stdout.trimEnd().split('\n');
}

/** `ctfg import` of `lines` (written to a file) into that store. */
export async function importLines(
  dbDir: string,
  lines: readonly string[],
  extra: readonly string[] = [],
  backend: Backend = BACKEND,
): Promise<{ code: number | null; stderr: string }> {
  const file = path.join(tempDir('ctfg-backup-file-'), 'backup.jsonl');
  fs.writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '');
  return runCli(['import', file, ...(await storeArgs(dbDir, backend)), ...extra], {}, 120_000);
}

export const FLAGS: Array<[number, string]> = [[1, '26'], [2, '32'], [6, '75'], [3, '10'], [4, '2'], [5, '4'], [7, '150']];

export async function admin(base: string, method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKENS.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** Solves, hints, names with commas, an announcement, audit entries, a schedule change. */
export async function play(base: string): Promise<Client[]> {
  const names = ['Al, the Great', '@home', "O'Brien", 'Zoë', 'plain'];
  const clients = await Promise.all(
    names.map(async (name, i) => {
      const c = new Client(base);
      await c.enter(`player${i + 1}`, `password${i + 1}`, name);
      return c;
    }),
  );
  for (const [i, c] of clients.entries()) {
    for (const [id, flag] of FLAGS.slice(0, 5 - i)) expect((await c.submit(id, flag)).status).toBe(200);
    await c.submit(1, 'wrong');
    await c.hint(2, 1);
  }
  expect((await admin(base, 'POST', '/api/admin/announcements', { text: 'Hints are free, mostly.' })).status).toBe(201);
  expect((await admin(base, 'POST', '/api/admin/event', { end: '2099-01-01T00:00:00Z' })).status).toBe(200);
  return clients;
}

export async function adminBoard(base: string): Promise<unknown> {
  return (await admin(base, 'GET', '/api/admin/scoreboard')).json();
}
