#!/usr/bin/env node
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogger } from './logging.js';
import { PACKAGE_VERSION } from './package-info.js';
import { GameLoadError, startServer } from './server.js';
import { registerToolCommands } from './cli/commands.js';

function integer(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function wsUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidArgumentError('must be a URL like wss://ctf.example.org/scorestream');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new InvalidArgumentError('must start with ws:// or wss://');
  return raw;
}

function urlOf(...protocols: string[]) {
  return (raw: string): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidArgumentError(`must be a URL starting with ${protocols.join(' or ')}//`);
    }
    if (!protocols.includes(url.protocol)) throw new InvalidArgumentError(`must start with ${protocols.join(' or ')}//`);
    return raw;
  };
}

interface ServeFlags {
  port: number;
  host: string;
  gameDir: string;
  dbdir?: string;
  developerMode: boolean;
  websocketUrl?: string;
  wsKeepaliveInterval: number;
  wsPingTimeout: number;
  database?: string;
  redis?: string;
}

/** Runs the server until SIGTERM/SIGINT, then shuts down gracefully. */
export async function serve(challengesFile: string | undefined, flags: ServeFlags): Promise<void> {
  const env = process.env;
  const logger = createLogger(env.CTFG_LOG_LEVEL ?? (flags.developerMode ? 'debug' : 'info'));
  const gameDir = path.resolve(flags.gameDir);
  try {
    const server = await startServer({
      port: flags.port,
      host: flags.host,
      gameDir,
      challengesPath: challengesFile ? path.resolve(challengesFile) : undefined,
      dbDir: flags.dbdir ? path.resolve(flags.dbdir) : undefined,
      developerMode: flags.developerMode,
      websocketUrl: flags.websocketUrl ?? null,
      keepaliveSeconds: flags.wsKeepaliveInterval,
      pingTimeoutSeconds: flags.wsPingTimeout,
      databaseUrl: flags.database ?? (env.CTFG_DATABASE_URL || null),
      redisUrl: flags.redis ?? (env.CTFG_REDIS_URL || null),
      env,
      logger,
    });
    logger.info({ url: server.url, port: server.port, gameDir }, `ctfg ${PACKAGE_VERSION} is serving ${server.url}`);
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
      process.stderr.write(`ctfg: the game folder ${gameDir} has problems:\n${err.message}\n`);
    } else {
      process.stderr.write(`ctfg: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
      if (flags.developerMode && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    }
    process.exit(1);
  }
}

export function serveOptions(cmd: Command): Command {
  return cmd
    .option('-p, --port <port>', 'HTTP port; the scorestream is on the same port', integer('port', 0, 65535), 8080)
    .option('--host <address>', 'listen address', '0.0.0.0')
    .option('-g, --game-dir <dir>', 'folder with the game files', '.')
    .option('-b, --dbdir <dir>', 'folder for events.db (default: the game folder)')
    .option('-d, --developer-mode', 're-read challenges.json on every request, no static caching, detailed errors', false)
    .addOption(
      new Option('-w, --websocket-url <url>', 'scorestream URL handed to browsers (default: derived from each request)').argParser(wsUrl),
    )
    .option('-k, --ws-keepalive-interval <seconds>', 'seconds between server pings; 0 disables', integer('keepalive interval', 0, 3600), 15)
    .option('-t, --ws-ping-timeout <seconds>', 'seconds without a pong before a socket is dropped', integer('ping timeout', 1, 3600), 45)
    .addOption(new Option('--database <url>', 'postgres://… : keep the game in PostgreSQL (several instances) instead of SQLite').argParser(urlOf('postgres:', 'postgresql:')))
    .addOption(new Option('--redis <url>', 'redis://… : share live events and rate limits between instances').argParser(urlOf('redis:', 'rediss:')));
}

const program = new Command('ctfg')
  .description('Capture-The-Flag game engine: serves the game in a folder of game files.')
  .version(PACKAGE_VERSION, '--version')
  .argument('[challenges.json]', 'challenges file (default: <game-dir>/challenges.json)')
  .addHelpText(
    'after',
    `
Game folder: challenges.json, credentials.csv, optional game-clusters.yaml,
event.yaml, images/banner.jpg|png and .env (CTFG_API_TOKEN, CTFG_ADMIN_TOKEN,
CTFG_MASK_KEY, CTFG_FEED_KEY, CTFG_MAX_VIEWERS).

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
  ctfg -g /srv/event -b /var/lib/ctfg -p 80`,
  )
  .action((file: string | undefined, flags: ServeFlags) => serve(file, flags));
serveOptions(program);
registerToolCommands(program, serve, serveOptions);

await program.parseAsync(process.argv);
