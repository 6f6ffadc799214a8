#!/usr/bin/env node
/**
 * ctfg-emulator: command-line entry. Everything here is wiring: parse the
 * arguments, load the game files, run, print, write the reports, set the exit
 * code. The work itself is in runEmulation (run.ts), which tests call directly.
 */
import { parseCli } from './cli.js';
import { InputError, loadChallenges, loadCredentials } from './game-files.js';
import { ProgressDisplay } from './progress.js';
import { writeReports } from './report-html.js';
import { runEmulation, type Progress } from './run.js';
import { formatSummary } from './summary.js';

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCli(argv);
  if (cli.kind === 'exit') {
    process.stdout.write(cli.stdout);
    process.stderr.write(cli.stderr);
    return cli.code;
  }
  const o = cli.options;
  try {
    const [challenges, credentials] = await Promise.all([loadChallenges(o.challengesPath), loadCredentials(o.credentialsPath)]);
    const display = new ProgressDisplay(process.stdout, { quiet: o.quiet });
    let last: Progress | undefined;
    const result = await runEmulation({
      serverUrl: o.serverUrl,
      challenges,
      credentials,
      players: o.players,
      jitterSeconds: o.jitterSeconds,
      hints: o.hints,
      thinkMs: o.thinkMs,
      durationSeconds: o.durationSeconds,
      onProgress: (p) => {
        last = p;
        display.update(p);
      },
      // A terminal redraws smoothly; a pipe only prints every few seconds anyway.
      progressIntervalMs: process.stdout.isTTY ? 250 : 1000,
    });
    display.finish(last);
    const files = await writeReports(result.report, o.outDir);
    process.stdout.write(`${formatSummary(result.report, [files.json, files.html])}\n`);
    return result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`ctfg-emulator: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ctfg-emulator: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
