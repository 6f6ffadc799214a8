import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stream, type Message } from '../helpers/client.js';
import { writeGame } from '../helpers/game.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { CHALLENGES, player } from '../integration/event-helpers.js';

/** Two instances on one PostgreSQL database and one Redis: a team member's new name reaches B's boards as a patch. */
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  const gameDir = writeGame({ challenges: CHALLENGES, credentials: 'username,password,team\na1,pw-a1,Red Team\na2,pw-a2,Red Team\nb1,pw-b1,Blue Team\n' });
  const dbDir = tempDir('ctfg-multi-teams-');
  [a, b] = (await Promise.all([0, 1].map(() => startServer({ gameDir, dbDir, backend: 'postgres' })))) as [TestServer, TestServer];
});
afterAll(async () => {
  await Promise.all([a, b].map((s) => s?.stop()));
});

describe('teams across instances', () => {
  it('a member renamed through A reaches a socket on B in a board patch within 2 s, without a solve', async () => {
    const onA = await player(a.url, 'a2');
    expect((await onA.submit(1, 'flag{a}')).body).toMatchObject({ result: 'correct' });
    const watcher = await player(b.url, 'b1');
    const watch = await Stream.open(watcher.websocketUrl as string);
    const snap = (await watch.waitFor((m: Message) => !Array.isArray(m) && m.type === 'snapshot')) as { standings: Array<{ members?: string[] }> };
    expect(snap.standings[0]?.members).toEqual(['a1', 'Name a2']);
    const sent = Date.now();
    expect((await onA.request('POST', '/api/set-name', { name: 'Renamed a2' })).status).toBe(200);
    const patch = await watch.waitFor((m) => !Array.isArray(m) && m.type === 'board' && JSON.stringify(m).includes('Renamed a2'), 2000);
    expect(Date.now() - sent).toBeLessThan(2000);
    expect((patch as { rows: Array<Record<string, unknown>> }).rows).toEqual([expect.objectContaining({ displayname: 'Red Team', members: ['a1', 'Renamed a2'] })]);
    watch.close();
  });
});
