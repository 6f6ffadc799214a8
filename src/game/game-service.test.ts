import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInProcessGame, type InProcessGame } from '../../test/helpers/in-process.js';

describe('GameService (in-process, real SQLite)', () => {
  let game: InProcessGame;

  beforeEach(async () => {
    game = await openInProcessGame({ limits: { submit: { burst: 3, refillSeconds: 60 } } });
  });
  afterEach(async () => {
    await game.close();
  });

  it('judges a correct flag once, records it and publishes the event', async () => {
    const alice = game.player('alice');
    expect(await game.service.submit(alice, 1, '  flag{1} ')).toEqual({ kind: 'correct', points: 100, total: 100 });
    expect(await game.service.submit(alice, 1, 'flag{1}')).toEqual({ kind: 'already_solved', total: 100 });
    const stored = await game.store.load();
    expect(stored.events.map((e) => [e.userId, e.challengeId, e.kind, e.points, e.ts])).toEqual([[alice.id, 1, 'score', 100, game.clock.now]]);
    expect(game.published.filter((m) => m.kind === 'event')).toHaveLength(1);
  });

  it('answers incorrect for a wrong flag and spends a submit token only then', async () => {
    const bob = game.player('bob');
    for (let i = 0; i < 3; i++) expect(await game.service.submit(bob, 3, 'flag{nope}')).toEqual({ kind: 'incorrect' });
    // The bucket is empty: even the right flag waits.
    expect(await game.service.submit(bob, 3, 'flag{3}')).toMatchObject({ kind: 'rate_limited' });
    game.clock.now += 60_000;
    expect(await game.service.submit(bob, 3, 'flag{3}')).toEqual({ kind: 'correct', points: 50, total: 50 });
    expect(game.state.liveScore(bob)).toBe(50);
  });

  it('keeps a challenge locked until its requirements are solved, and rejects unknown ids', async () => {
    const carol = game.player('carol');
    expect(await game.service.submit(carol, 2, 'flag{2}')).toEqual({ kind: 'locked' });
    expect(await game.service.submit(carol, 99, 'flag{99}')).toEqual({ kind: 'unknown_id' });
    await game.service.submit(carol, 1, 'flag{1}');
    expect(await game.service.submit(carol, 2, 'flag{2}')).toEqual({ kind: 'correct', points: 200, total: 300 });
  });

  it('sells hints strictly in order, the free one first, and never past the score', async () => {
    const alice = game.player('alice');
    expect(await game.service.hint(alice, 1, 2)).toEqual({ kind: 'locked' });
    expect(await game.service.hint(alice, 1, 1)).toEqual({ kind: 'ok' });
    expect(await game.service.hint(alice, 1, 1)).toEqual({ kind: 'already_purchased' });
    expect(await game.service.hint(alice, 1, 2)).toEqual({ kind: 'insufficient_points' });
    expect(await game.service.hint(alice, 2, 1)).toEqual({ kind: 'locked' });
    expect(await game.service.hint(alice, 9, 1)).toEqual({ kind: 'unknown_challenge' });
    expect(await game.service.hint(alice, 1, 5)).toEqual({ kind: 'unknown_hint' });
    await game.service.submit(alice, 3, 'flag{3}');
    expect(await game.service.hint(alice, 1, 2)).toEqual({ kind: 'ok' });
    expect(game.state.liveScore(alice)).toBe(50 - 30);
    expect(await game.service.hint(alice, 3, 7)).toEqual({ kind: 'insufficient_points' });
    const hints = (await game.store.load()).events.filter((e) => e.kind === 'hint');
    expect(hints.map((e) => [e.challengeId, e.hintId, e.points])).toEqual([
      [1, 1, 0],
      [1, 2, -30],
    ]);
  });

  it('awards a solve past the requirements, marked as a reload, once', async () => {
    expect(await game.service.award('bob', 2)).toEqual({ kind: 'ok' });
    expect(await game.service.award('bob', 2)).toEqual({ kind: 'already_solved', total: 200 });
    expect(await game.service.award('nobody', 2)).toEqual({ kind: 'unknown_user' });
    expect(await game.service.award('bob', 42)).toEqual({ kind: 'unknown_id' });
    const [event] = (await game.store.load()).events;
    expect(event).toMatchObject({ challengeId: 2, points: 200, reload: true });
    expect(await game.service.submit(game.player('bob'), 2, 'flag{2}')).toEqual({ kind: 'already_solved', total: 200 });
  });

  it('logs in with the right password only, and counts failures per user', async () => {
    expect(await game.service.login('alice', 'wrong', '10.0.0.1')).toEqual({ kind: 'invalid_credentials' });
    expect(await game.service.login('mallory', 'x', '10.0.0.1')).toEqual({ kind: 'invalid_credentials' });
    const ok = await game.service.login('alice', 'alice-password', '10.0.0.1');
    expect(ok.kind).toBe('ok');
    if (ok.kind !== 'ok') return;
    expect(await game.sessions.resolve(ok.cookie)).toMatchObject({ userId: game.player('alice').id });
    await game.service.logout(ok.session);
    expect(await game.sessions.resolve(ok.cookie)).toBeNull();
  });

  it('reset wipes scores, names and sessions; event ids keep increasing', async () => {
    const alice = game.player('alice');
    await game.service.submit(alice, 1, 'flag{1}');
    expect(await game.service.setName(alice, 'Alice A')).toEqual({ kind: 'ok' });
    expect(await game.service.setName(game.player('bob'), 'alice a')).toEqual({ kind: 'name_taken' });
    const counts = await game.service.reset();
    expect(counts).toMatchObject({ events: 1, names: 1 });
    expect(alice).toMatchObject({ unit: { flat: 0 }, displayname: null });
    expect(game.state.liveScore(alice)).toBe(0);
    expect(alice.unit.solved.size).toBe(0);
    expect(await game.service.submit(alice, 1, 'flag{1}')).toMatchObject({ kind: 'correct' });
    const [event] = (await game.store.load()).events;
    expect(event?.id).toBe(2);
  });
});
