// The browser tests drive a real Chromium. Without one, say so in one line
// before anything runs instead of failing every e2e test. Run by `npm test`
// first, and as the e2e project's global setup for direct vitest runs.
import fs from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const CHROMIUM = process.env.CTFG_CHROMIUM ?? '/usr/bin/chromium';

/** The one-line problem, or null when Chromium is there. */
export function chromiumProblem() {
  if (fs.existsSync(CHROMIUM)) return null;
  return `The browser tests need Chromium, and there is none at ${CHROMIUM}: install it (sudo apt-get install chromium) or set CTFG_CHROMIUM to its path.`;
}

export default function setup() {
  const problem = chromiumProblem();
  if (problem) throw new Error(problem);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problem = chromiumProblem();
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
