import fs from 'node:fs';
import type { Logger } from 'pino';
import { parseChallenges } from '../config/challenges.js';
import { formatProblems, type GameFiles } from '../config/game-folder.js';
import { compileGame, signKeyProblems, type DescriptionKeys } from '../state/compiled-game.js';
import type { GameState } from '../state/game-state.js';

export interface ReloaderDeps {
  readonly challengesPath: string;
  readonly state: GameState;
  readonly clusters: GameFiles['clusters'];
  readonly keys: DescriptionKeys;
  readonly logger: Logger;
}

/**
 * Developer mode's re-read of challenges.json: applied only when the text
 * changed and parses; otherwise the last good set stays.
 */
export function challengeReloader({ challengesPath, state, clusters, keys, logger }: ReloaderDeps): () => void {
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
    const problems = parsed.ok ? signKeyProblems(parsed.value, keys.signName !== null, challengesPath) : parsed.problems;
    if (!parsed.ok || problems.length > 0) {
      logger.warn({ problems }, `challenges.json has errors; keeping the last good set:\n${formatProblems(problems)}`);
      return;
    }
    state.setGame(compileGame(parsed.value, clusters, keys));
    logger.info({ challenges: parsed.value.length }, 'challenges reloaded');
  };
}
