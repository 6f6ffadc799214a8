import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessApp, openInProcessGame, type InProcessGame } from '../../test/helpers/in-process.js';

/** Game rules as a browser meets them, through app.inject: no server process, no port. */
describe('game rules over HTTP (app.inject)', () => {
  let game: InProcessGame;
  let app: FastifyInstance;

  beforeEach(async () => {
    game = await openInProcessGame();
    app = await inProcessApp(game);
  });
  afterEach(async () => {
    await app.close();
    await game.close();
  });

  async function login(username: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/login', payload: { username, password: `${username}-password` } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'ctfg_session');
    if (!cookie) throw new Error('no session cookie');
    return `ctfg_session=${cookie.value}`;
  }

  it('refuses the game to a visitor without a session', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/submit', payload: { id: 1, flag: 'flag{1}' } });
    expect(res.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/challenges' })).statusCode).toBe(401);
  });

  it('answers a locked challenge 403 until its requirement is solved, then scores it', async () => {
    const cookie = await login('alice');
    const submit = (id: number) => app.inject({ method: 'POST', url: '/api/submit', headers: { cookie }, payload: { id, flag: `flag{${id}}` } });
    const locked = await submit(2);
    expect(locked.statusCode).toBe(403);
    expect(locked.json()).toEqual({ error: 'locked' });
    expect((await submit(1)).json()).toEqual({ result: 'correct', points: 100, total: 100 });
    expect((await submit(2)).json()).toEqual({ result: 'correct', points: 200, total: 300 });
    const board = await app.inject({ method: 'GET', url: '/api/scoreboard', headers: { cookie } });
    expect(board.json()).toMatchObject({ standings: [{ pos: 1, displayname: 'alice', score: 300, solves: 2 }] });
  });

  it('answers 402 for a hint the player cannot afford', async () => {
    const cookie = await login('bob');
    const hint = (id: number, hintId: number) => app.inject({ method: 'POST', url: '/api/hint', headers: { cookie }, payload: { id, hint_id: hintId } });
    const poor = await hint(3, 7);
    expect(poor.statusCode).toBe(402);
    expect(poor.json()).toEqual({ error: 'insufficient_points' });
    expect((await hint(1, 1)).json()).toEqual({ result: 'ok' });
  });
});
