import fs from 'node:fs';
import type { Logger } from 'pino';
import { parseChallenges } from '../config/challenges.js';
import { formatProblems, type GameFiles } from '../config/game-folder.js';
import { compileGame } from '../state/compiled-game.js';
import type { GameState } from '../state/game-state.js';

export interface ReloaderDeps {
  readonly challengesPath: string;
  readonly state: GameState;
  readonly clusters: GameFiles['clusters'];
  readonly maskKey: string;
  readonly logger: Logger;
}

/**
 * Developer mode's re-read of challenges.json: applied only when the text
 * changed and parses; otherwise the last good set stays.
 */
export function challengeReloader({ challengesPath, state, clusters, maskKey, logger }: ReloaderDeps): () => void {
  let lastText = fs.readFileSync(challengesPath, 'utf8');
  return () => {
    let text: string;
    try {
      text = fs.readFileSync(challengesPath, 'utf8');
    } catch (err) {
      logger.warn({ err: String(err) }, 'cannot re-read challenges.json; keeping the last good set');
      return;
    }
    if (text === lastText) return;
    lastText = text;
    const parsed = parseChallenges(text);
    if (!parsed.ok) {
      logger.warn({ problems: parsed.problems }, `challenges.json has errors; keeping the last good set:\n${formatProblems(parsed.problems)}`);
      return;
    }
    state.setGame(compileGame(parsed.value, clusters, maskKey));
    logger.info({ challenges: parsed.value.length }, 'challenges reloaded');
  };
}
