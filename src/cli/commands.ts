import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { hashPassword } from '../auth/passwords.js';
import type { EventConfig } from '../config/event-file.js';
import { CHALLENGES_FILE } from '../config/challenges.js';
import { formatProblems, loadGameFolder } from '../config/game-folder.js';
import { signKeyProblems } from '../state/compiled-game.js';
import { DEFAULT_MASK_KEY, deobfuscateDisplayName, obfuscateDisplayName } from '../domain/obfuscate.js';
import { nameSigner, verifySignedName } from '../signing/name-signature.js';
import { writeSampleGame } from './sample-game.js';

function describeEvent(e: EventConfig): string {
  const iso = (t: number | null): string => (t === null ? 'open' : new Date(t).toISOString());
  if (e.title === null && e.start === null && e.end === null) return 'no event schedule';
  return `event ${JSON.stringify(e.title ?? '')} ${iso(e.start)} → ${iso(e.end)}${e.freeze !== null ? `, freeze ${iso(e.freeze)}` : ''}`;
}

type Serve<F> = (file: string | undefined, flags: F) => Promise<void>;

/** Subcommands for organizers: sample game, demo, validation, password hashes, name decoding. */
export function registerToolCommands<F extends { gameDir?: string | boolean }>(
  program: Command,
  serve: Serve<F>,
  serveOptions: (cmd: Command) => Command,
): void {
  registerInit(program);
  registerDemo(program, serve, serveOptions);
  registerValidate(program);
  registerNameTools(program);
  registerSignedNameTools(program);
}

function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a small, ready-to-play sample game into a folder (never overwrites)')
    .argument('[dir]', 'target folder', '.')
    .option('--teams', 'a team game: 5 teams of 4 in two divisions, and a few dynamically scored challenges')
    .action(async (dir: string, opts: { teams?: boolean }) => {
      try {
        const { written } = await writeSampleGame(path.resolve(dir), { teams: opts.teams === true });
        process.stdout.write(`Wrote a sample game to ${path.resolve(dir)}:\n${written.map((f) => `  ${f}`).join('\n')}\n`);
        process.stdout.write(`Start it with: ctfg -g ${dir}\nDemo logins are in credentials.csv; the admin and judge tokens are in .env.\n`);
      } catch (err) {
        process.stderr.write(`ctfg init: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });

}

function registerDemo<F extends { gameDir?: string | boolean }>(program: Command, serve: Serve<F>, serveOptions: (cmd: Command) => Command): void {
  serveOptions(
    program
      .command('demo')
      .description('serve the sample game, writing it to [dir] first when that folder has no game yet')
      .argument('[dir]', 'folder for the sample game', 'ctfg-demo'),
  ).action(async (dir: string, _flags: F, cmd: Command) => {
    // The root command has the same server options and takes them wherever they stand; read both.
    const flags = cmd.optsWithGlobals<F>();
    const target = path.resolve(dir);
    if (!fs.existsSync(path.join(target, 'challenges.json'))) {
      await writeSampleGame(target);
      process.stdout.write(`Wrote the sample game to ${target} (logins in credentials.csv, tokens in .env).\n`);
    }
    await serve(undefined, { ...flags, gameDir: target });
  });

}

function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a game folder and report every problem without starting the server')
    .argument('[dir]', 'game folder', '.')
    .action(async (dir: string) => {
      const loaded = await loadGameFolder({ gameDir: path.resolve(dir), processEnv: process.env });
      // The same refusal as at start: @SIGNED_DISPLAYNAME@ without a signing key.
      const problems = loaded.ok ? signKeyProblems(loaded.value.challenges, Boolean(loaded.value.env.CTFG_SIGN_KEY), CHALLENGES_FILE) : loaded.problems;
      if (!loaded.ok || problems.length > 0) {
        process.stderr.write(`${formatProblems(problems)}\n`);
        process.exitCode = 1;
        return;
      }
      const g = loaded.value;
      process.stdout.write(
        `OK: ${g.challenges.length} challenges, ${g.credentials.length} players, ` +
          `${g.clusters ? `${g.clusters.playerClusters.length} player clusters` : 'no clusters file'}, ` +
          `${g.bannerPath ? `banner ${path.basename(g.bannerPath)}` : 'no banner'}, ` +
          `${describeEvent(g.event)}\n`,
      );
    });

}

/** Password hashes for credentials.csv and the obfuscated-name helpers for challenge checkers. */
function registerNameTools(program: Command): void {
  program
    .command('hash-password')
    .description('print a password hash, quoted for credentials.csv (reads the password from stdin)')
    .option('--scrypt', 'use scrypt instead of argon2id')
    .action(async (opts: { scrypt?: boolean }) => {
      const input = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
      if (!input) {
        process.stderr.write('ctfg hash-password: give the password on stdin, e.g. echo -n secret | ctfg hash-password\n');
        process.exitCode = 1;
        return;
      }
      // PHC hashes contain commas ("m=65536,t=3,p=4"): quoted, the value pastes into credentials.csv as one field.
      const hash = await hashPassword(input, opts.scrypt ? 'scrypt' : 'argon2id');
      process.stdout.write(`"${hash.replace(/"/g, '""')}"\n`);
    });

  program
    .command('decode-name')
    .description('decode an @OBFUSCATED_DISPLAYNAME@ value (for challenge checkers)')
    .argument('<hex>', 'the obfuscated value')
    .option('--key <key>', 'CTFG_MASK_KEY of the game', DEFAULT_MASK_KEY)
    .action((hex: string, opts: { key: string }) => {
      const name = deobfuscateDisplayName(hex, opts.key);
      if (name === null) {
        process.stderr.write('ctfg decode-name: not a valid value for this key (checksum mismatch)\n');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${name}\n`);
    });

  program
    .command('encode-name')
    .description('compute the @OBFUSCATED_DISPLAYNAME@ value of a display name')
    .argument('<name>', 'display name')
    .option('--key <key>', 'CTFG_MASK_KEY of the game', DEFAULT_MASK_KEY)
    .action((name: string, opts: { key: string }) => {
      process.stdout.write(`${obfuscateDisplayName(name, opts.key)}\n`);
    });
}

/** The key for the signed-name tools: --key, else CTFG_SIGN_KEY from the environment (keeps it off the command line). */
function signKeyOrExit(command: string, key: string | undefined): string | null {
  const found = key ?? process.env.CTFG_SIGN_KEY ?? '';
  if (found !== '') return found;
  process.stderr.write(`ctfg ${command}: give the game's CTFG_SIGN_KEY, in the environment or with --key\n`);
  process.exitCode = 2;
  return null;
}

/** Verify and make @SIGNED_DISPLAYNAME@ values (for organizers and challenge checkers). */
function registerSignedNameTools(program: Command): void {
  program
    .command('verify-name')
    .description('verify an @SIGNED_DISPLAYNAME@ value: prints "<user id><TAB><display name>", or exits 1 when it is not genuine')
    .argument('<value>', 'the signed value, e.g. 7.416461.9F…')
    .option('--key <key>', 'CTFG_SIGN_KEY of the game (default: the CTFG_SIGN_KEY environment variable)')
    .action((value: string, opts: { key?: string }) => {
      const key = signKeyOrExit('verify-name', opts.key);
      if (key === null) return;
      const signed = verifySignedName(value, key);
      if (signed === null) {
        process.stderr.write('ctfg verify-name: not genuine for this key (malformed, edited, or signed with another key)\n');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${signed.userId}\t${signed.name}\n`);
    });

  program
    .command('sign-name')
    .description('compute the @SIGNED_DISPLAYNAME@ value of a player (to test a checker)')
    .argument('<userId>', 'numeric user id')
    .argument('<name>', 'display name')
    .option('--key <key>', 'CTFG_SIGN_KEY of the game (default: the CTFG_SIGN_KEY environment variable)')
    .action((userId: string, name: string, opts: { key?: string }) => {
      const key = signKeyOrExit('sign-name', opts.key);
      if (key === null) return;
      if (!/^[1-9][0-9]{0,15}$/.test(userId)) {
        process.stderr.write('ctfg sign-name: the user id must be a positive whole number\n');
        process.exitCode = 2;
        return;
      }
      process.stdout.write(`${nameSigner(key)(Number(userId), name)}\n`);
    });
}
