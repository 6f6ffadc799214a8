import { fixtureChallenges, writeGame } from '../../helpers/game.js';

/** The fixture's challenges with titles padded to `titleBytes`: every live event then weighs about that much. */
export function heavyEventGame(titleBytes: number, players = 500): string {
  const challenges = fixtureChallenges().map((c) => ({ ...c, title: `${String(c.title)} ${'~'.repeat(titleBytes)}` }));
  const credentials = Array.from({ length: players }, (_, i) => `player${i + 1},password${i + 1}`).join('\n');
  return writeGame({ challenges, credentials: `username,password\n${credentials}\n` });
}
