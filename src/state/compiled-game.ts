import { displayNameKey } from '../domain/displayname.js';
import { compileFlag, type FlagMatcher } from '../domain/flag.js';
import { compileDescription, type DescriptionRenderer } from '../domain/placeholders.js';
import type { Challenge, Clusters } from '../domain/types.js';
import type { Player } from './player.js';

export interface CompiledChallenge {
  readonly challenge: Challenge;
  readonly flag: FlagMatcher;
  /** the description with this player's placeholders substituted */
  render(p: Player): string;
}

/** A validated challenge set, with regexes and description templates compiled once. */
export interface CompiledGame {
  readonly challenges: readonly CompiledChallenge[];
  readonly byId: ReadonlyMap<number, CompiledChallenge>;
  nameKey(name: string): string;
}

export function compileGame(challenges: readonly Challenge[], clusters: Clusters | null, maskKey: string): CompiledGame {
  const compiled = challenges.map((challenge): CompiledChallenge => {
    const flag = compileFlag(challenge.flag);
    // parseChallenges already refused patterns that do not compile.
    if (!flag.ok) throw new Error(`challenge ${challenge.id}: flag ${flag.message}`);
    const renderer: DescriptionRenderer = compileDescription(challenge.description, { maskKey, clusters });
    return {
      challenge,
      flag: flag.matcher,
      render: (p) => renderer({ username: p.username, userId: p.id, displayName: p.displayname }),
    };
  });
  return {
    challenges: compiled,
    byId: new Map(compiled.map((c) => [c.challenge.id, c])),
    nameKey: displayNameKey,
  };
}
