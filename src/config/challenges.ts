/**
 * challenges.json: parse, check everything, and report every problem at once
 * (SPEC §1). Each problem names the challenge and the field, so an organizer
 * can fix the whole file in one pass instead of one error per restart.
 */
import { z } from 'zod';
import { compileFlag, isCorrectFlag, MAX_FLAG_LENGTH } from '../domain/flag.js';
import { DECAY_FUNCTIONS } from '../domain/scoring.js';
import type { Challenge, Hint, LoadResult } from '../domain/types.js';
import { isIsoTime } from './event-file.js';
import { describeIssue, formatPath, lineAndColumn, ProblemList, stripBom } from './problems.js';

export const CHALLENGES_FILE = 'challenges.json';

const hintSchema = z.object({
  id: z.int(),
  text: z.string(),
  cost: z.int().min(0),
});

const decaySchema = z.object({
  function: z.enum(DECAY_FUNCTIONS),
  minimum: z.int().min(0),
  decay: z.number().min(0),
});

/** The shape of one entry. Unknown extra fields are ignored (zod strips them). */
export const challengeSchema = z.object({
  id: z.int(),
  title: z.string().min(1),
  category: z.string(),
  difficulty: z.string(),
  points: z.int().min(0),
  description: z.string(),
  flag: z.string(),
  testflag: z.string().optional(),
  hints: z.array(hintSchema).optional(),
  requirements: z.array(z.int()).optional(),
  content: z.string().optional(),
  release: z
    .string()
    .refine((t) => isIsoTime(t), 'must be an ISO 8601 time with an offset, e.g. 2026-12-01T10:00:00Z')
    .optional(),
  decay: decaySchema.optional(),
});

/** A challenge as an author writes it in challenges.json (optional fields may be left out). */
export type ChallengeSource = z.input<typeof challengeSchema>;

/** The entry's id when it is a usable integer, even if other fields are wrong. */
function idOf(entry: unknown): number | undefined {
  if (typeof entry === 'object' && entry !== null && 'id' in entry) {
    const id: unknown = entry.id;
    if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  }
  return undefined;
}

/** "challenge 7" when the entry has a usable id, otherwise its position in the list. */
function labelFor(entry: unknown, index: number): string {
  const id = idOf(entry);
  return id === undefined ? `challenge #${index + 1} in the list` : `challenge ${id}`;
}

function where(label: string, field: string): string {
  return field === '' ? label : `${label}, field ${field}`;
}

/** JSON.parse's error with a line and column, which V8 only gives as an offset. */
function jsonErrorWhere(text: string, err: unknown): { where: string; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineCol) return { where: `line ${lineCol[1]}, column ${lineCol[2]}`, message };
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const { line, column } = lineAndColumn(text, Number(position[1]));
    return { where: `line ${line}, column ${column}`, message: message.replace(/ in JSON at position \d+.*$/, '') };
  }
  if (/end of JSON input/i.test(message)) {
    const { line, column } = lineAndColumn(text, text.length);
    return { where: `line ${line}, column ${column}`, message: `${message} (is a closing ] or } missing?)` };
  }
  return { where: 'whole file', message };
}

/** Parses and validates challenges.json text. `file` names it in problems. */
export function parseChallenges(text: string, file: string = CHALLENGES_FILE): LoadResult<Challenge[]> {
  const problems = new ProblemList(file);
  const source = stripBom(text);
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (err) {
    const { where: at, message } = jsonErrorWhere(source, err);
    problems.add(at, `not valid JSON: ${message}`);
    return problems.result([]);
  }
  if (!Array.isArray(data)) {
    problems.add('whole file', 'must be a JSON array of challenge objects: [ { "id": 1, ... }, ... ]');
    return problems.result([]);
  }

  // 1. Shape of each entry.
  const challenges: Challenge[] = [];
  data.forEach((entry: unknown, index) => {
    const label = labelFor(entry, index);
    const parsed = challengeSchema.safeParse(entry, { reportInput: true });
    if (parsed.success) {
      challenges.push(toChallenge(parsed.data));
      return;
    }
    for (const issue of parsed.error.issues) {
      const field = formatPath(issue.path);
      problems.add(where(label, field), field === '' && issue.code === 'invalid_type' ? 'must be an object' : describeIssue(issue));
    }
  });

  // 2. Deeper rules. They run on whatever parts of an entry are usable, even
  //    when another field is wrong, so one pass reports everything.
  const views = data.map((entry: unknown, index) => viewOf(entry, index));
  for (const view of views) checkWithin(view, problems);

  // 3. Rules across challenges.
  const positionsById = new Map<number, number[]>();
  views.forEach((view, index) => {
    if (view.id !== undefined) positionsById.set(view.id, [...(positionsById.get(view.id) ?? []), index + 1]);
  });
  for (const [id, positions] of positionsById) {
    if (positions.length > 1) {
      problems.add(
        where(`challenge ${id}`, 'id'),
        `id ${id} is used by ${positions.length} challenges (positions ${positions.join(', ')} in the list); ids must be unique`,
      );
    }
  }
  for (const view of views) {
    view.requirements.forEach((req, i) => {
      if (req !== undefined && !positionsById.has(req)) {
        problems.add(where(view.label, `requirements[${i}]`), `requires challenge ${req}, which does not exist`);
      }
    });
  }
  const graph = views.flatMap((v) =>
    v.id === undefined ? [] : [{ id: v.id, requirements: v.requirements.filter((r): r is number => r !== undefined) }],
  );
  for (const cycle of findRequirementCycles(graph)) {
    problems.add(
      where(`challenge ${cycle[0]}`, 'requirements'),
      `requirement cycle ${cycle.join(' → ')}: none of these challenges can ever become visible`,
    );
  }
  return problems.result(challenges);
}

/** The parts of an entry the deeper checks need, each undefined when unusable. */
interface EntryView {
  readonly label: string;
  readonly id: number | undefined;
  readonly flag: string | undefined;
  readonly testflag: string | undefined;
  /** Index-aligned with the entry's hints. */
  readonly hintIds: readonly (number | undefined)[];
  /** Index-aligned with the entry's requirements. */
  readonly requirements: readonly (number | undefined)[];
  readonly points: number | undefined;
  /** decay.minimum when usable */
  readonly minimum: number | undefined;
}

function prop(entry: unknown, name: string): unknown {
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>)[name] : undefined;
}

function asInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function viewOf(entry: unknown, index: number): EntryView {
  const flag = prop(entry, 'flag');
  const testflag = prop(entry, 'testflag');
  return {
    label: labelFor(entry, index),
    id: idOf(entry),
    flag: typeof flag === 'string' ? flag : undefined,
    testflag: typeof testflag === 'string' ? testflag : undefined,
    hintIds: asList(prop(entry, 'hints')).map((hint) => asInt(prop(hint, 'id'))),
    requirements: asList(prop(entry, 'requirements')).map(asInt),
    points: asInt(prop(entry, 'points')),
    minimum: asInt(prop(prop(entry, 'decay'), 'minimum')),
  };
}

/** Rules inside one challenge: flag, testflag, hint ids, self-requirement. */
function checkWithin(view: EntryView, problems: ProblemList): void {
  const { label } = view;
  if (view.flag !== undefined) {
    const compiled = compileFlag(view.flag);
    if (!compiled.ok) {
      problems.add(where(label, 'flag'), compiled.message);
    } else if (view.testflag !== undefined) {
      if (view.testflag.length > MAX_FLAG_LENGTH) {
        problems.add(where(label, 'testflag'), `is longer than ${MAX_FLAG_LENGTH} characters, so no player could submit it`);
      } else if (!isCorrectFlag(compiled.matcher, view.testflag)) {
        problems.add(
          where(label, 'testflag'),
          'does not match flag (after trimming, the flag regex must find exactly one match in it)',
        );
      }
    }
  }

  const seenHints = new Map<number, number>();
  view.hintIds.forEach((id, i) => {
    if (id === undefined) return;
    const first = seenHints.get(id);
    if (first === undefined) seenHints.set(id, i);
    else {
      problems.add(
        where(label, `hints[${i}].id`),
        `hint id ${id} is already used by hints[${first}]; hint ids must be unique within a challenge`,
      );
    }
  });

  if (view.points !== undefined && view.minimum !== undefined && view.minimum > view.points) {
    problems.add(where(label, 'decay.minimum'), `is ${view.minimum}, above the challenge's points (${view.points}); the value only ever falls from points to minimum`);
  }

  view.requirements.forEach((req, i) => {
    if (req !== undefined && req === view.id) {
      problems.add(where(label, `requirements[${i}]`), 'a challenge cannot require itself');
    }
  });
}

/** A shape-checked entry with defaults filled in. */
function toChallenge(value: z.output<typeof challengeSchema>): Challenge {
  const hints: Hint[] = value.hints ?? [];
  return {
    id: value.id,
    title: value.title,
    category: value.category,
    difficulty: value.difficulty,
    points: value.points,
    description: value.description,
    flag: value.flag,
    ...(value.testflag !== undefined ? { testflag: value.testflag } : {}),
    hints,
    // Duplicates in the list change nothing about visibility; drop them.
    requirements: [...new Set(value.requirements ?? [])],
    ...(value.content !== undefined ? { content: value.content } : {}),
    ...(value.release !== undefined ? { release: Date.parse(value.release) } : {}),
    ...(value.decay !== undefined ? { decay: value.decay } : {}),
  };
}

/**
 * Every requirement cycle, each as a closed path starting at its smallest id
 * (e.g. [3, 4, 3]). Self-requirements are reported separately (checkWithin).
 * Requirements on unknown ids are ignored here.
 */
export function findRequirementCycles(challenges: readonly Pick<Challenge, 'id' | 'requirements'>[]): number[][] {
  const edges = new Map<number, readonly number[]>();
  for (const c of challenges) if (!edges.has(c.id)) edges.set(c.id, c.requirements);

  const state = new Map<number, 'active' | 'done'>();
  const stack: number[] = [];
  const seen = new Set<string>();
  const cycles: number[][] = [];

  const visit = (id: number): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (next === id || !edges.has(next)) continue;
      const s = state.get(next);
      if (s === 'active') {
        const loop = stack.slice(stack.indexOf(next));
        const start = loop.indexOf(Math.min(...loop));
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        const key = rotated.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...rotated, rotated[0] ?? next]);
        }
      } else if (s === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };

  for (const id of edges.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
