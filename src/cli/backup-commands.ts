import { Option, type Command } from 'commander';
import { BackupError } from '../backup/format.js';
import { exportStore, importStore, type StoreLocation } from '../backup/run.js';
import { SETTINGS } from '../settings/definitions.js';

type Flags = Record<string, string | boolean | undefined>;

/** Resolves flags, environment and the game folder's .env into the store to use (main.ts owns that). */
export type Locate = (flags: Flags) => StoreLocation;

function storeOptions(cmd: Command): Command {
  for (const d of [SETTINGS.gameDir, SETTINGS.dbDir, SETTINGS.databaseUrl]) cmd.addOption(new Option(d.flag as string, d.meaning));
  return cmd;
}

/** Known refusals are one line for the organizer; anything else too, but never a stack trace. */
function failed(command: string, err: unknown): void {
  const message = err instanceof BackupError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`ctfg ${command}: ${message}\n`);
  process.exitCode = 1;
}

const progress = (message: string): void => void process.stderr.write(`${message}\n`);

/** `ctfg export` and `ctfg import` (SPEC §8 Backups). */
export function registerBackupCommands(program: Command, locate: Locate): void {
  storeOptions(
    program
      .command('export')
      .description('write the whole game state as JSON lines to stdout (a consistent snapshot, also while the server runs)'),
  ).action(async (_flags: Flags, cmd: Command) => {
    try {
      await exportStore(locate(cmd.optsWithGlobals<Flags>()), process.stdout, progress);
    } catch (err) {
      failed('export', err);
    }
  });

  storeOptions(
    program
      .command('import')
      .description('load a backup written by ctfg export into an empty store (all or nothing; the server must be stopped)')
      .argument('<file>', 'the backup file, or - for stdin')
      .option('--force', 'replace the game the store already holds'),
  ).action(async (file: string, _flags: Flags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<Flags & { force?: boolean }>();
    try {
      const summary = await importStore(locate(flags), file, flags.force === true, progress);
      const rows = Object.entries(summary.rows).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`);
      process.stderr.write(`imported ${summary.lines} lines: ${rows.join(', ') || 'no rows'}\n`);
    } catch (err) {
      failed('import', err);
    }
  });
}
