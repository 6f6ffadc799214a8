/**
 * challenges.json for the tools (emulator, benchmark, test helpers): read with
 * the server's own parser, so a file the tools accept is one the server loads,
 * and ordered by the server's visibility rule.
 */
import { parseChallenges } from '../../src/config/challenges.js';
import { formatProblems } from '../../src/config/game-folder.js';
import type { Challenge, GameFileProblem } from '../../src/domain/types.js';

/** A problem with the input: reported to the user as-is, no stack trace. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A challenge the tools can solve: it carries the flag they submit. */
export type PlayableChallenge = Challenge & { readonly testflag: string };

/**
 * Parses challenges.json text with the server's rules and insists on a
 * testflag everywhere (a scripted player submits testflags). Every problem is
 * reported at once, in the server's words.
 */
export function parsePlayableChallenges(text: string, file = 'challenges.json'): PlayableChallenge[] {
  const parsed = parseChallenges(text, file);
  if (!parsed.ok) throw new InputError(formatProblems(parsed.problems));
  const missing: GameFileProblem[] = parsed.value
    .filter((c) => c.testflag === undefined)
    .map((c) => ({ file, where: `challenge ${c.id}, field testflag`, message: 'is missing: the tools submit testflags, so every challenge needs one' }));
  if (missing.length > 0) throw new InputError(formatProblems(missing));
  if (parsed.value.length === 0) throw new InputError(`${file} holds no challenges`);
  return parsed.value as PlayableChallenge[];
}

interface Orderable {
  readonly id: number;
  readonly requirements?: readonly number[] | undefined;
}

/**
 * A solve order in which every challenge comes after all of its requirements,
 * level by level: first every challenge open from the start, then every one
 * they unlock, and so on; file order within a level. A dependent challenge is
 * thus as far from its requirements as it can be, so a load generator that
 * sends solves without waiting for answers rarely finds it still locked. A
 * requirement on an unknown id or a cycle is an InputError: such a game cannot
 * be finished (and the server refuses to load it).
 */
export function solveOrder(challenges: readonly Orderable[]): number[] {
  const ids = new Set(challenges.map((c) => c.id));
  const problems = challenges.flatMap((c) =>
    (c.requirements ?? []).flatMap((r) =>
      r === c.id ? [`challenge ${c.id}: requires itself`] : ids.has(r) ? [] : [`challenge ${c.id}: requires unknown challenge ${r}`],
    ),
  );
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < challenges.length) {
    const level = challenges.filter((c) => !done.has(c.id) && (c.requirements ?? []).every((r) => done.has(r)));
    if (level.length === 0) {
      const stuck = challenges.filter((c) => !done.has(c.id)).map((c) => c.id);
      throw new InputError(`requirement cycle among challenges ${stuck.join(', ')}`);
    }
    for (const c of level) {
      done.add(c.id);
      order.push(c.id);
    }
  }
  return order;
}
