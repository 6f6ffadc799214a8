import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreboardResponse } from '../../src/protocol/api.js';
import { Client, Stream, type Message } from '../helpers/client.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin, CHALLENGES, eventGame, player } from '../integration/event-helpers.js';

/**
 * Two instances on one PostgreSQL database and one Redis, each with its own
 * copy of the game folder (as on two machines): a reload through A applies on B.
 */
let a: TestServer;
let b: TestServer;
const dirA = eventGame(null);
const dirB = tempDir('ctfg-game-b-');
const dbDir = tempDir('ctfg-multi-reload-');

function writeBoth(name: string, text: string): void {
  for (const dir of [dirA, dirB]) fs.writeFileSync(path.join(dir, name), text);
}
const challengesJson = (challenges: unknown[]): string => JSON.stringify(challenges, null, 2);
const credentialsCsv = (players: readonly string[]): string => `username,password\n${players.map((p) => `${p},pw-${p}`).join('\n')}\n`;
const isReload = (m: Message): boolean => !Array.isArray(m) && m.type === 'system' && m.event === 'reload';

async function points(c: Client, id: number): Promise<number | undefined> {
  const list = await c.request<Array<{ id: number; points: number }>>('GET', '/api/challenges');
  return list.body.find((x) => x.id === id)?.points;
}

beforeAll(async () => {
  fs.cpSync(dirA, dirB, { recursive: true });
  [a, b] = (await Promise.all([dirA, dirB].map((gameDir) => startServer({ gameDir, dbDir, backend: 'postgres' })))) as [TestServer, TestServer];
});
afterAll(async () => {
  await Promise.all([a, b].map((s) => s?.stop()));
});

describe('reload across instances', () => {
  it('a reload through A applies on B: sockets refetch, new players log in and score, removed ones are out', async () => {
    const p1 = await player(b.url, 'p1');
    const p4 = await player(b.url, 'p4');
    const p1Stream = await Stream.open(p1.websocketUrl as string);
    const p4Stream = await Stream.open(p4.websocketUrl as string);
    await Promise.all([p1Stream.waitFor(() => true), p4Stream.waitFor(() => true)]);

    writeBoth('challenges.json', challengesJson([{ ...CHALLENGES[0], points: 150 }, CHALLENGES[1]]));
    writeBoth('credentials.csv', credentialsCsv(['p1', 'p2', 'p3', 'p5']));
    const r = await (await admin(a.url)).request('POST', '/api/admin/reload');
    expect(r).toMatchObject({ status: 200, body: { challenges: 2, players: 4 } });
    const sent = Date.now();
    // A new player at once on A: their solve reaches B too (the bus message added them there first).
    const p5 = await player(a.url, 'p5');
    expect(await p5.submit(2, 'flag{b}')).toMatchObject({ status: 200, body: { result: 'correct' } });

    await p1Stream.waitFor(isReload, 2000);
    expect(await p4Stream.waitClose(2000)).toBe(4001);
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(await points(p1, 1)).toBe(150);
    expect((await new Client(b.url).login('p5', 'pw-p5')).status).toBe(200);
    expect((await new Client(b.url).login('p4', 'pw-p4')).status).toBe(401);
    expect((await p4.request('GET', '/api/me')).status).toBe(401);
    await p1Stream.waitFor((m) => Array.isArray(m) && m.some((e) => e.displayname === 'Name p5'), 2000);
    const board = await p1.request<ScoreboardResponse>('GET', '/api/scoreboard');
    expect(board.body.standings.find((row) => row.displayname === 'Name p5')).toMatchObject({ score: 200, solves: 1 });
    p1Stream.close();
  });

  it('an instance whose own copy has problems keeps its old game and says so in its log', async () => {
    const p1 = await player(b.url, 'p1');
    fs.writeFileSync(path.join(dirA, 'challenges.json'), challengesJson([{ ...CHALLENGES[0], points: 175 }, CHALLENGES[1]]));
    fs.writeFileSync(path.join(dirB, 'challenges.json'), '[{"id": 1,');
    const r = await (await admin(a.url)).request('POST', '/api/admin/reload');
    expect(r).toMatchObject({ status: 200, body: { changes: ['challenge 1 "Alpha": points 150 → 175'] } });
    const deadline = Date.now() + 5000;
    while (!b.output().includes('keeping the old game') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(b.output()).toContain('keeping the old game');
    expect(await points(p1, 1)).toBe(150);
    expect(await points(Object.assign(new Client(a.url), { cookie: p1.cookie }), 1)).toBe(175);
  });
});
