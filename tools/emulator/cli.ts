import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

export interface CliOptions {
  readonly serverUrl: string;
  readonly challengesPath: string;
  readonly credentialsPath: string;
  /** undefined = every credential */
  readonly players: number | undefined;
  readonly jitterSeconds: number;
  readonly hints: boolean;
  readonly thinkMs: number;
  /** undefined = jitter + 300 s */
  readonly durationSeconds: number | undefined;
  readonly outDir: string;
  readonly quiet: boolean;
}

/** What the command line asks for: a run, or an early exit (help, version, usage error) with its text. */
export type CliOutcome =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'exit'; readonly code: number; readonly stdout: string; readonly stderr: string };

function wholeNumber(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return n;
  };
}

function seconds(name: string, min: number, max: number, allowMin: boolean) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || (!allowMin && n === min) || n > max) {
      throw new InvalidArgumentError(`${name} must be a number of seconds ${allowMin ? '≥' : '>'} ${min} and ≤ ${max}, got "${raw}"`);
    }
    return n;
  };
}

function httpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidArgumentError(`must be a URL such as http://127.0.0.1:8080, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`must start with http:// or https://, got "${raw}"`);
  return raw;
}

const DESCRIPTION = `Load emulator for ctfg: every player behaves like a browser (page and assets,
login, display name, scorestream, then solves every challenge in prerequisite
order with its testflag) and must see each of its own solves on its live socket.
Writes metrics-<timestamp>.json and a self-contained report-<timestamp>.html.`;

const EPILOG = `
Examples:
  ctfg-emulator http://127.0.0.1:8080 game/challenges.json game/credentials.csv
  ctfg-emulator http://127.0.0.1:8080 game/challenges.json game/credentials.csv 200 0
  ctfg-emulator http://127.0.0.1:8080 game/challenges.json game/credentials.csv 50 30 --hints --think-ms 500

Use a fresh database for every run: solves persist, and a player who finds a
challenge already solved fails. Exit code: 0 when every player solved every
challenge with every solve confirmed and no errors, 1 otherwise, 2 on bad input.`;

/** The program definition; `parseCli` runs it without ever calling process.exit. */
function buildProgram(): Command {
  return new Command('ctfg-emulator')
    .description(DESCRIPTION)
    .argument('<server_url>', 'server to load, e.g. http://127.0.0.1:8080', httpUrl)
    .argument('<challenges.json>', 'the game\'s challenges (every challenge needs a testflag)')
    .argument('<credentials.csv>', 'username,password rows (plain-text passwords)')
    .argument('[players]', 'how many players to run (default: every credential)', wholeNumber('players', 1, 100_000))
    .argument('[jitter_seconds]', 'spread start times uniformly over this many seconds (default 0: everyone at once)', seconds('jitter_seconds', 0, 86_400, true))
    .option('--hints', 'buy every hint of a challenge, in order, before solving it (402 "cannot afford" is expected)')
    .addOption(new Option('--think-ms <n>', 'pause before each action (hint, submit), in ms').default(0).argParser(wholeNumber('--think-ms', 0, 600_000)))
    .addOption(new Option('--duration <s>', 'hard stop for the whole run, in seconds (default: jitter + 300)').argParser(seconds('--duration', 0, 86_400, false)))
    .option('--out <dir>', 'folder for the metrics JSON and the HTML report', '.')
    .option('--quiet', 'no live progress display')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EPILOG)
    .showHelpAfterError('(run with --help for usage)');
}

/** Parses argv (without node and script) into options or an exit with the text commander produced. */
export function parseCli(argv: readonly string[]): CliOutcome {
  let stdout = '';
  let stderr = '';
  let parsed: { args: unknown[]; opts: Record<string, unknown> } | undefined;
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) })
    .action((...actionArgs: unknown[]) => {
      const command = actionArgs[actionArgs.length - 1] as Command;
      parsed = { args: command.processedArgs, opts: command.opts() };
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      const code = err.exitCode === 0 ? 0 : 2;
      return { kind: 'exit', code, stdout, stderr };
    }
    throw err;
  }
  if (!parsed) return { kind: 'exit', code: 2, stdout, stderr: stderr || 'nothing to do\n' };
  const [serverUrl, challengesPath, credentialsPath, players, jitter] = parsed.args as [string, string, string, number | undefined, number | undefined];
  const o = parsed.opts;
  return {
    kind: 'run',
    options: {
      serverUrl,
      challengesPath,
      credentialsPath,
      players,
      jitterSeconds: jitter ?? 0,
      hints: o.hints === true,
      thinkMs: typeof o.thinkMs === 'number' ? o.thinkMs : 0,
      durationSeconds: typeof o.duration === 'number' ? o.duration : undefined,
      outDir: typeof o.out === 'string' ? o.out : '.',
      quiet: o.quiet === true,
    },
  };
}
