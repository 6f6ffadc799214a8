import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { AdminDirectory } from '../auth/admins.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInProcessGame, UNIT_CHALLENGES, UNIT_PLAYERS, type InProcessGame } from '../../test/helpers/in-process.js';
import { NO_EVENT } from '../config/event-file.js';
import { DEFAULT_MASK_KEY } from '../domain/obfuscate.js';
import type { Credential } from '../domain/types.js';
import { EventClock } from '../event/clock.js';
import type { BusMessage } from '../live/fanout.js';
import { DEFAULT_HUB_OPTIONS, Hub } from '../live/hub.js';
import { createLogger } from '../logging.js';
import { GameReloader, RELOAD_KEY } from './game-reloader.js';

/** A reloader over a real in-process game and a real game folder, as one instance of several. */
interface Rig {
  readonly game: InProcessGame;
  readonly dir: string;
  readonly reloader: GameReloader;
  readonly credentials: Map<string, Credential>;
  readonly sent: BusMessage[];
  readonly logs: string[];
  readonly close: () => Promise<void>;
}

function writeFolder(dir: string, players: readonly string[]): void {
  fs.writeFileSync(path.join(dir, 'challenges.json'), JSON.stringify(UNIT_CHALLENGES));
  fs.writeFileSync(path.join(dir, 'credentials.csv'), players.map((p) => `${p},${p}-password`).join('\n'));
}

async function rig(): Promise<Rig> {
  const game = await openInProcessGame();
  const dir = path.join(game.dir, 'game');
  fs.mkdirSync(dir);
  writeFolder(dir, UNIT_PLAYERS);
  const hub = new Hub(DEFAULT_HUB_OPTIONS);
  const { store, state, sessions } = game;
  const clock = new EventClock({ store, state, hub, file: NO_EVENT, challenges: () => [], onRelease: () => undefined, onError: () => undefined });
  const credentials = new Map(UNIT_PLAYERS.map((u) => [u, { username: u, password: `${u}-password` }]));
  const sent: BusMessage[] = [];
  const logs: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) }));
  const files = { challenges: UNIT_CHALLENGES, credentials: [...credentials.values()], clusters: null, event: NO_EVENT, admins: [] };
  const deps = { gameDir: dir, challengesPath: null, keys: { maskKey: DEFAULT_MASK_KEY, signName: null }, state, store, sessions, hub, clock, credentials, logger, admins: new AdminDirectory(null, []), adminAlive: async () => true };
  const reloader = new GameReloader({ ...deps, broadcast: async (m) => void sent.push(m) }, files);
  const close = async (): Promise<void> => {
    clock.close();
    hub.closeAll();
    await game.close();
  };
  return { game, dir, reloader, credentials, sent, logs, close };
}

let r: Rig;
beforeEach(async () => {
  r = await rig();
});
afterEach(async () => {
  await r.close();
});

describe('GameReloader', () => {
  it('changes nothing when the folder has problems', async () => {
    const before = r.game.state.currentGame;
    writeFolder(r.dir, [...UNIT_PLAYERS, 'dave']);
    fs.appendFileSync(path.join(r.dir, 'credentials.csv'), '\ndave,again\n');
    const outcome = await r.reloader.reload();
    expect(outcome).toMatchObject({ ok: false, problems: [expect.objectContaining({ file: path.join(r.dir, 'credentials.csv') })] });
    expect(r.game.state.currentGame).toBe(before);
    expect([...r.credentials.keys()]).toEqual([...UNIT_PLAYERS]);
    expect(r.game.state.playerByUsername('dave')).toBeUndefined();
    expect(r.sent).toEqual([]);
  });

  it('adds the players another instance announced at once, so their first events count before the re-read is done', async () => {
    writeFolder(r.dir, [...UNIT_PLAYERS, 'dave']);
    const [dave] = (await r.game.store.syncUsers(['dave'])).filter((u) => u.username === 'dave');
    r.reloader.follow({ kind: 'reload', generation: 'from-another-instance', users: [dave!] });
    const applied = r.game.state.apply({ id: 1, userId: dave!.id, challengeId: 3, kind: 'score', hintId: null, points: 50, ts: 1, reload: false });
    expect(applied).not.toBeNull();
    // A reload queued behind the follow resolves once the follow's re-read is done.
    await r.reloader.reload();
    expect(r.credentials.has('dave')).toBe(true);
    expect(r.logs.join('')).toContain('following another instance');
  });

  it('tells the other instances once and ignores its own echo', async () => {
    writeFolder(r.dir, [...UNIT_PLAYERS, 'dave']);
    const outcome = await r.reloader.reload();
    expect(outcome).toMatchObject({ ok: true, players: 4, changes: ['players added (1): dave'] });
    expect(r.sent).toEqual([{ kind: 'reload', generation: expect.any(String) as string, users: [expect.objectContaining({ username: 'dave' })] }]);
    r.reloader.follow(r.sent[0] as Extract<BusMessage, { kind: 'reload' }>);
    await r.reloader.reload();
    expect(r.logs.join('')).not.toContain('following another instance');
  });

  it('follows a reload whose bus message was lost, from the mark in the store, once', async () => {
    await r.reloader.start(null);
    await r.reloader.poll();
    writeFolder(r.dir, [...UNIT_PLAYERS, 'dave']);
    await r.game.store.writeSetting(RELOAD_KEY, 'made-by-another-instance');
    await r.reloader.poll();
    await r.reloader.poll();
    await r.reloader.developerReload(); // queued behind the re-read
    expect(r.credentials.has('dave')).toBe(true);
    expect(r.logs.join('').match(/following another instance/g)).toHaveLength(1);
  });
});
