import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInProcessGame, type InProcessGame } from '../../test/helpers/in-process.js';
import { StreamTokens } from './stream-tokens.js';

describe('StreamTokens (real sessions over SQLite, test clock)', () => {
  let game: InProcessGame;

  beforeEach(async () => {
    game = await openInProcessGame({ tokenLifetimeMs: 60_000 });
  });
  afterEach(async () => {
    await game.close();
  });

  async function login(username: string) {
    const outcome = await game.service.login(username, `${username}-password`, '127.0.0.1');
    if (outcome.kind !== 'ok') throw new Error(`login failed: ${outcome.kind}`);
    return outcome;
  }

  it('grants the player and session a token was issued for, until it expires', async () => {
    const { session } = await login('alice');
    const token = game.tokens.issue(session.userId, session.idHash);
    expect(await game.tokens.verify(token)).toEqual({ role: 'player', userId: session.userId, sessionHash: session.idHash });
    game.clock.now += 59_999;
    expect(await game.tokens.verify(token)).not.toBeNull();
    game.clock.now += 1;
    expect(await game.tokens.verify(token)).toBeNull();
  });

  it('is bound to its session: another user id or a tampered token is refused', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    // Issued for Bob's user id on Alice's session: the session does not belong to Bob.
    expect(await game.tokens.verify(game.tokens.issue(bob.session.userId, alice.session.idHash))).toBeNull();
    const token = game.tokens.issue(alice.session.userId, alice.session.idHash);
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace(/^\d+/, String(bob.session.userId))).toString('base64url');
    expect(await game.tokens.verify(`${forged}.${mac}`)).toBeNull();
    expect(await game.tokens.verify(`${token}.x`)).toBeNull();
    expect(await game.tokens.verify('x'.repeat(401))).toBeNull();
  });

  it('dies with its session at logout and at reset', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const aliceToken = game.tokens.issue(alice.session.userId, alice.session.idHash);
    const bobToken = game.tokens.issue(bob.session.userId, bob.session.idHash);
    await game.service.logout(alice.session);
    expect(await game.tokens.verify(aliceToken)).toBeNull();
    expect(await game.tokens.verify(bobToken)).not.toBeNull();
    await game.service.reset();
    expect(await game.tokens.verify(bobToken)).toBeNull();
  });

  it('is checked with the shared secret: another secret does not accept it', async () => {
    const { session } = await login('alice');
    const token = game.tokens.issue(session.userId, session.idHash);
    const other = new StreamTokens('another-secret', game.sessions, 60_000, () => game.clock.now);
    expect(await other.verify(token)).toBeNull();
    const same = new StreamTokens(await game.store.sharedSecret('scorestream'), game.sessions, 60_000, () => game.clock.now);
    expect(await same.verify(token)).not.toBeNull();
  });
});
