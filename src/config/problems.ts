import { LineCounter, parseDocument, type Document } from 'yaml';
/**
 * Shared wording for game-file problems, so every loader speaks the same way:
 * "<file>: <where>: <message>", where the message says what to fix.
 */
import type { core } from 'zod';
import type { GameFileProblem, LoadResult } from '../domain/types.js';

export class ProblemList {
  readonly items: GameFileProblem[] = [];
  constructor(readonly file: string) {}

  add(where: string, message: string): void {
    this.items.push({ file: this.file, where, message });
  }

  result<T>(value: T): LoadResult<T> {
    return this.items.length === 0 ? { ok: true, value } : { ok: false, problems: this.items };
  }
}

/** `["hints", 1, "cost"]` → `hints[1].cost`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** A short, safe rendering of a bad value for a message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  return String(value);
}

const NOUNS: Readonly<Record<string, string>> = {
  string: 'text (a string)',
  number: 'an integer',
  int: 'an integer',
  array: 'a list (an array)',
  object: 'an object',
  boolean: 'true or false',
};

/** Turns one zod issue (parsed with `reportInput: true`) into a message a person can act on. */
export function describeIssue(issue: core.$ZodIssue): string {
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return 'is required';
      const noun = NOUNS[issue.expected] ?? issue.expected;
      return `must be ${noun}, not ${describeValue(input)}`;
    }
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'int') {
        return Number(issue.minimum) === 0
          ? `must not be negative (got ${describeValue(input)})`
          : `must be at least ${String(issue.minimum)} (got ${describeValue(input)})`;
      }
      return Number(issue.minimum) === 1 ? 'must not be empty' : `must have at least ${String(issue.minimum)} entries`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int') return `is too large (got ${describeValue(input)})`;
      return `is too long (at most ${String(issue.maximum)})`;
    default:
      return issue.message;
  }
}

/** 0-based character offset → 1-based line and column. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Strips a UTF-8 byte-order mark that editors on Windows like to add. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses a YAML game file; syntax errors go into `problems` (with their line) and give null. */
export function parseYamlFile(text: string, problems: ProblemList): { readonly doc: Document; readonly lineCounter: LineCounter } | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(stripBom(text), { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length === 0) return { doc, lineCounter };
  for (const error of doc.errors) {
    const pos = error.linePos?.[0];
    problems.add(pos ? `line ${pos.line}, column ${pos.col}` : 'whole file', `not valid YAML: ${error.message}`);
  }
  return null;
}
