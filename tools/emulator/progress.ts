import type { Progress } from './run.js';

/** Where progress goes: a terminal stream, or anything with `write` (a pipe, a log file, a test buffer). */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function formatProgress(p: Progress): string {
  const t = (p.elapsedMs / 1000).toFixed(1).padStart(6);
  return (
    `[${t}s] players ${p.loggedIn}/${p.players} logged in, ${p.done} done, ${p.failed} failed` +
    ` | solves ${p.solves}/${p.expectedSolves} (${p.confirmed} confirmed)` +
    ` | errors ${p.errors} | ${p.requestRate} req/s`
  );
}

/**
 * Live progress. On a terminal the line is redrawn in place at every tick; into
 * a pipe or file that would be a flood of carriage returns, so there it prints a
 * plain line every few seconds instead.
 */
export class ProgressDisplay {
  private lastPlain = -Infinity;
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly options: { readonly quiet: boolean; readonly plainEveryMs?: number } = { quiet: false },
  ) {}

  update(p: Progress): void {
    if (this.options.quiet) return;
    const line = formatProgress(p);
    if (this.out.isTTY) {
      // A pseudo-terminal may report 0 columns; fall back to a common width then.
      const width = Math.max(20, (this.out.columns || 120) - 1);
      // \r + erase-line keeps the cursor on one line; cutting to the width stops the terminal wrapping it.
      this.out.write(`\r\x1b[2K${line.slice(0, width)}`);
      this.drawn = true;
      return;
    }
    if (p.elapsedMs - this.lastPlain >= (this.options.plainEveryMs ?? 5000)) {
      this.lastPlain = p.elapsedMs;
      this.out.write(`${line}\n`);
    }
  }

  /** Shows the final state (a pipe may not have printed it yet) and leaves the cursor on a fresh line. */
  finish(last?: Progress): void {
    if (this.options.quiet) return;
    if (this.out.isTTY) {
      if (last) this.update(last);
      if (this.drawn) this.out.write('\n');
    } else if (last && last.elapsedMs !== this.lastPlain) {
      this.lastPlain = last.elapsedMs;
      this.out.write(`${formatProgress(last)}\n`);
    }
    this.drawn = false;
  }
}
