import path from 'node:path';
import Database from '../../src/storage/sqlite/driver.js';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKEND, databaseFor } from '../helpers/backend.js';
import { Client } from '../helpers/client.js';
import { startServer, tempDir, TEST_TOKENS, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => (s.process.exitCode === null ? s.stop() : null)));
});

/** Writes a display name and key straight into the stopped game's database, as an older ctfg left them. */
async function storeLegacyName(dbDir: string, username: string, name: string, key: string): Promise<void> {
  if (BACKEND === 'sqlite') {
    const db = new Database(path.join(dbDir, 'events.db'));
    try {
      db.prepare('UPDATE users SET displayname = ?, displayname_key = ? WHERE username = ?').run(name, key, username);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: await databaseFor(dbDir) });
  await client.connect();
  try {
    await client.query('UPDATE users SET displayname = $1, displayname_key = $2 WHERE username = $3', [name, key, username]);
  } finally {
    await client.end();
  }
}

describe(`display-name keys from before the skeleton (${BACKEND})`, () => {
  it('are moved at start; a look-alike loses its name, is told so, and it is audited and logged', async () => {
    const dbDir = tempDir('ctfg-db-');
    const first = await startServer({ dbDir });
    const ada = new Client(first.url);
    await ada.enter('player1', 'password1', 'Ada');
    expect(await first.stop()).toBe(0);
    // Accepted before issue 13: the Cyrillic look-alike, and keys in the old NFKC + lower-case form.
    await storeLegacyName(dbDir, 'player2', 'Аda', 'аda');
    await storeLegacyName(dbDir, 'player3', 'Zoë', 'zoë');

    const s = await startServer({ dbDir });
    servers.push(s);
    const impostor = new Client(s.url);
    await impostor.login('player2', 'password2');
    expect((await impostor.request('GET', '/api/me')).body).toMatchObject({ displayname: null, needs_name: true });
    const zoe = new Client(s.url);
    await zoe.login('player3', 'password3');
    expect((await zoe.request('GET', '/api/me')).body).toMatchObject({ displayname: 'Zoë' });
    // The moved keys hold: "Zoe" is taken by "Zoë", the look-alike cannot come back.
    expect((await impostor.request('POST', '/api/set-name', { name: 'Zoe' })).status).toBe(409);
    expect((await impostor.request('POST', '/api/set-name', { name: 'Аda' })).status).toBe(409);
    expect((await impostor.request('POST', '/api/set-name', { name: 'Ada Two' })).status).toBe(200);

    const audit = await new Client(s.url).request<{ entries: Array<{ action: string; detail: string }> }>('GET', '/api/admin/audit', undefined, {
      authorization: `Bearer ${TEST_TOKENS.admin}`,
    });
    const entry = audit.body.entries.find((e) => e.action === 'name_key_collision');
    expect(JSON.parse(entry?.detail ?? '{}')).toMatchObject({ cleared: { user: 'player2', name: 'Аda' }, kept: { user: 'player1', name: 'Ada' }, key: 'ada' });
    expect(s.output()).toContain('display-name keys moved to the look-alike skeleton');
    expect(s.output()).toMatch(/Аda\W{1,4} of player2 looks like \W{1,4}Ada\W{1,4} of player1: cleared/); // JSON-escaped quotes
  });
});
