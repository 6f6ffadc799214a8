import { benchName, generatedGame, playerCredentials, removeDir, tempDir, type BenchGame, type Credential } from '../game.js';
import { prefill } from '../prefill.js';
import type { BenchContext } from './common.js';
import { startScenarioCtfg } from './common.js';

export interface PrefilledGame {
  readonly game: BenchGame;
  readonly dbDir: string;
  /** players with a history (on the board) */
  readonly board: readonly Credential[];
  /** players without one, for probing */
  readonly probes: readonly Credential[];
  readonly events: number;
  readonly prefillMs: number;
}

/**
 * A generated game whose database already holds `players × eventsPerPlayer`
 * events: ctfg is started once on the empty database (schema and users),
 * stopped, and the history is written with better-sqlite3.
 */
export async function prefilledGame(
  ctx: BenchContext,
  o: { readonly players: number; readonly eventsPerPlayer: number; readonly probes: number; readonly challenges: number; readonly hints: number },
): Promise<PrefilledGame> {
  const began = Date.now();
  const board = playerCredentials(o.players);
  const probes = playerCredentials(o.probes, 'probe');
  const game = generatedGame(o.challenges, o.hints, [...board, ...probes]);
  const dbDir = tempDir('ctfg-bench-db-');
  const init = await startScenarioCtfg({ ...ctx, cpuProfDir: null }, game.dir, dbDir, [game.dir, dbDir]);
  try {
    const code = await init.stop();
    if (code !== 0) throw new Error(`ctfg did not stop cleanly after creating the database (exit ${String(code)}):\n${init.output().slice(-1000)}`);
    const filled = prefill(game, dbDir, { players: board, eventsPerPlayer: o.eventsPerPlayer, nameOf: benchName, spanMs: 3 * 60 * 60 * 1000 });
    return { game, dbDir, board, probes, events: filled.events, prefillMs: Date.now() - began };
  } catch (err) {
    removeDir(game.dir);
    removeDir(dbDir);
    throw err;
  }
}
