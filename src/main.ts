#!/usr/bin/env node
import path from 'node:path';
import { Command, Option } from 'commander';
import { readEnvFile } from './config/env-file.js';
import { createLogger } from './logging.js';
import { PACKAGE_VERSION } from './package-info.js';
import { GameLoadError, startServer } from './server.js';
import { registerBackupCommands } from './cli/backup-commands.js';
import { registerToolCommands } from './cli/commands.js';
import { SETTINGS, type SettingDef } from './settings/definitions.js';
import { formatSettingProblems, resolveSettings, type Settings } from './settings/settings.js';

type RawFlags = Record<string, string | boolean | undefined>;

/** commander attribute name → setting key, e.g. wsKeepaliveInterval → keepaliveSeconds */
const FLAG_KEYS = new Map(
  Object.entries(SETTINGS).flatMap(([key, d]: [string, SettingDef<unknown>]) => (d.flag ? [[new Option(d.flag).attributeName(), key] as const] : [])),
);

function fail(message: string): never {
  process.stderr.write(`ctfg: ${message}\n`);
  process.exit(1);
}

/** Flags, environment and the game folder's .env, checked together before any other I/O. */
function loadSettings(challengesFile: string | undefined, rawFlags: RawFlags): Settings {
  const flags: RawFlags = {};
  for (const [attribute, value] of Object.entries(rawFlags)) flags[FLAG_KEYS.get(attribute) ?? attribute] = value;
  const gameDir = path.resolve(typeof flags.gameDir === 'string' && flags.gameDir.trim() ? flags.gameDir : '.');
  let envFile: Record<string, string>;
  try {
    envFile = readEnvFile(gameDir, {});
  } catch (err) {
    fail(`cannot read ${path.join(gameDir, '.env')}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = resolveSettings({ flags, env: process.env, envFile, challengesFile });
  if (!result.ok) fail(`cannot start: ${formatSettingProblems(result.problems)}`);
  return result.settings;
}

/** Runs the server until SIGTERM/SIGINT, then shuts down gracefully. */
export async function serve(challengesFile: string | undefined, rawFlags: RawFlags): Promise<void> {
  const settings = loadSettings(challengesFile, rawFlags);
  const logger = createLogger(settings.logLevel);
  try {
    const server = await startServer(settings, logger);
    logger.info({ url: server.url, port: server.port, gameDir: settings.gameDir }, `ctfg ${PACKAGE_VERSION} is serving ${server.url}`);
    let signals = 0;
    const shutdown = (signal: string): void => {
      if (++signals > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      server.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  } catch (err) {
    if (err instanceof GameLoadError) {
      process.stderr.write(`ctfg: the game folder ${settings.gameDir} has problems:\n${err.message}\n`);
    } else {
      process.stderr.write(`ctfg: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
      if (settings.developerMode && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    }
    exitWhenIdle();
  }
}

/**
 * A failed start has closed what it opened, so the process ends by itself;
 * should something still hold it open, say what and exit anyway.
 */
function exitWhenIdle(): void {
  process.exitCode = 1;
  setTimeout(() => {
    process.stderr.write(`ctfg: open handles after a failed start: ${process.getActiveResourcesInfo().join(', ')}\n`);
    process.exit(1);
  }, 5000).unref();
}

/** The serve flags, from the settings definitions (values are checked by the settings schema). */
export function serveOptions(cmd: Command): Command {
  for (const d of Object.values(SETTINGS) as Array<SettingDef<unknown>>) {
    if (!d.flag) continue;
    const env = d.env ? `; env ${d.env}` : '';
    cmd.addOption(new Option(d.flag, `${d.meaning} (default: ${d.defaultText}${env})`));
  }
  return cmd;
}

const program = new Command('ctfg')
  .description('Capture-The-Flag game engine: serves the game in a folder of game files.')
  .version(PACKAGE_VERSION, '--version')
  .argument('[challenges.json]', 'challenges file (default: <game-dir>/challenges.json)')
  .addHelpText(
    'after',
    `
Game folder: challenges.json, credentials.csv, optional game-clusters.yaml,
event.yaml, images/banner.jpg|png and .env (CTFG_API_TOKEN, CTFG_ADMIN_TOKEN, CTFG_MASK_KEY, …).
Every setting and its environment variable: docs/settings.md.

event.yaml (optional): title, start, end, freeze (ISO 8601 times with offset;
start <= freeze < end), public_scoreboard (true: /board, /api/scoreboard and
/api/ctftime need no login), first_blood_bonus ([1st, 2nd, 3rd] bonus points).
States: before (countdown, no challenges), running, paused, ended (read-only);
submit, hint and award answer 403 not_started / paused / ended outside running.
Freeze: from \`freeze\` until an admin reveals (POST /api/admin/event/reveal),
players and viewers see the board as it was at the freeze (their own score
stays live); admins stay live. Admins change start/end/freeze/paused at
runtime (POST /api/admin/event); stored changes win over event.yaml.
CTFtime feed: GET /api/ctftime (public with public_scoreboard, else admin or
?key=CTFG_FEED_KEY); it respects the freeze.

Examples:
  ctfg init my-game && ctfg -g my-game     write a sample game and serve it on :8080
  ctfg validate my-game                    check a game folder without starting
  ctfg export -g my-game > backup.jsonl    back the game up (also while it runs)
  ctfg import backup.jsonl --database URL  restore it, e.g. into PostgreSQL
  ctfg -g /srv/event -b /var/lib/ctfg -p 80`,
  )
  .action((file: string | undefined, flags: RawFlags) => serve(file, flags));
serveOptions(program);
registerToolCommands(program, serve, serveOptions);
registerBackupCommands(program, (flags) => {
  const settings = loadSettings(undefined, flags);
  return { dbDir: settings.dbDir ?? settings.gameDir, database: settings.database };
});

await program.parseAsync(process.argv);
