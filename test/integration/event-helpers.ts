import fs from 'node:fs';
import path from 'node:path';
import { Client, Stream, type Message } from '../helpers/client.js';
import { writeGame } from '../helpers/game.js';
import { TEST_TOKENS } from '../helpers/server.js';

export const CHALLENGES = [
  { id: 1, title: 'Alpha', category: 'web', difficulty: 'easy', points: 100, description: 'a', flag: '^flag\\{a\\}$', testflag: 'flag{a}', hints: [{ id: 1, text: 'h', cost: 0 }] },
  { id: 2, title: 'Bravo', category: 'web', difficulty: 'easy', points: 200, description: 'b', flag: '^flag\\{b\\}$', testflag: 'flag{b}' },
];

export const PLAYERS = ['p1', 'p2', 'p3', 'p4'] as const;

/** A game folder with two challenges (plus `extra`), four players and the given event.yaml. */
export function eventGame(eventYaml: string | null, extra: unknown[] = []): string {
  const dir = writeGame({
    challenges: [...CHALLENGES, ...extra],
    credentials: `username,password\n${PLAYERS.map((p) => `${p},pw-${p}`).join('\n')}\n`,
  });
  if (eventYaml !== null) fs.writeFileSync(path.join(dir, 'event.yaml'), eventYaml);
  return dir;
}

export async function player(base: string, username: string): Promise<Client> {
  const c = new Client(base);
  await c.enter(username, `pw-${username}`, `Name ${username}`);
  return c;
}

export async function admin(base: string): Promise<Client> {
  const c = new Client(base);
  const r = await c.request('POST', '/api/admin/login', { token: TEST_TOKENS.admin, name: 'Ada' });
  if (r.status !== 204) throw new Error(`admin login: ${r.status} ${JSON.stringify(r.body)}`);
  return c;
}

export async function adminStream(a: Client): Promise<Stream> {
  const r = await a.request<{ websocket_url: string }>('GET', '/api/admin/stream-url');
  return Stream.open(r.body.websocket_url);
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export const isClock = (state?: string) => (m: Message): boolean =>
  !Array.isArray(m) && m.type === 'system' && m.event === 'clock' && (state === undefined || m.state === state);
