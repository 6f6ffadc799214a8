import type { Credential, GameFileProblem } from '../domain/types.js';
import type { GameState } from '../state/game-state.js';

/**
 * What a reload may not change once events exist (SPEC §9): team mode on or
 * off, or the team of a player who has events (their solves belong to it).
 * A team split across divisions is already a credentials.csv problem.
 */
export function teamChangeProblems(state: GameState, next: readonly Credential[], file: string): GameFileProblem[] {
  const players = [...state.players()];
  if (!players.some((p) => p.lastTs > 0)) return [];
  const nextTeamMode = next.some((c) => c.team !== undefined);
  if (nextTeamMode !== state.teamMode) {
    const message = `turns team mode ${nextTeamMode ? 'on' : 'off'} after the game has events; that can only change before the first solve (or after a reset)`;
    return [{ file, where: 'team column', message }];
  }
  const problems: GameFileProblem[] = [];
  for (const c of next) {
    const p = state.playerByUsername(c.username);
    if (!p || p.lastTs === 0 || p.team === (c.team ?? null)) continue;
    problems.push({ file, where: `player "${c.username}"`, message: `moves from team "${p.team ?? ''}" to "${c.team ?? ''}", but the player has events in the old team` });
  }
  return problems;
}
