import { displayNameKey } from '../domain/displayname.js';
import { compileFlag, type FlagMatcher } from '../domain/flag.js';
import { compileDescription, SIGNED_DISPLAYNAME, usesSignedName, type DescriptionRenderer } from '../domain/placeholders.js';
import type { Challenge, Clusters, GameFileProblem } from '../domain/types.js';
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

/** The secrets behind the name placeholders. */
export interface DescriptionKeys {
  /** CTFG_MASK_KEY, for @OBFUSCATED_DISPLAYNAME@ */
  readonly maskKey: string;
  /** from CTFG_SIGN_KEY, for @SIGNED_DISPLAYNAME@; null when unset */
  readonly signName: ((userId: number, name: string) => string) | null;
}

/** One problem per challenge that uses @SIGNED_DISPLAYNAME@ while no signing key is set. */
export function signKeyProblems(challenges: readonly Challenge[], hasSignKey: boolean, file: string): GameFileProblem[] {
  if (hasSignKey) return [];
  return challenges
    .filter((c) => usesSignedName(c.description))
    .map((c) => ({ file, where: `challenge ${c.id}, field description`, message: `uses ${SIGNED_DISPLAYNAME}, which needs CTFG_SIGN_KEY (set it in .env; challenge checkers verify with the same key)` }));
}

/**
 * Compiles a challenge set. `keys` as a bare string is the mask key with no
 * signing key. Throws when a description uses @SIGNED_DISPLAYNAME@ without a
 * signing key (check `signKeyProblems` first for a report).
 */
export function compileGame(challenges: readonly Challenge[], clusters: Clusters | null, keys: DescriptionKeys | string): CompiledGame {
  const { maskKey, signName } = typeof keys === 'string' ? { maskKey: keys, signName: null } : keys;
  const compiled = challenges.map((challenge): CompiledChallenge => {
    const flag = compileFlag(challenge.flag);
    // parseChallenges already refused patterns that do not compile.
    if (!flag.ok) throw new Error(`challenge ${challenge.id}: flag ${flag.message}`);
    const renderer: DescriptionRenderer = compileDescription(challenge.description, { maskKey, signName, clusters });
    return {
      challenge,
      flag: flag.matcher,
      render: (p) => renderer({ username: p.username, userId: p.id, displayName: p.displayname, team: p.team, division: p.division }),
    };
  });
  return {
    challenges: compiled,
    byId: new Map(compiled.map((c) => [c.challenge.id, c])),
    nameKey: displayNameKey,
  };
}
