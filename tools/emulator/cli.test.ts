import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';

const base = ['http://127.0.0.1:8080', 'game/challenges.json', 'game/credentials.csv'];

function run(argv: string[]) {
  const outcome = parseCli(argv);
  if (outcome.kind !== 'run') throw new Error(`expected a run, got exit ${outcome.code}: ${outcome.stderr}`);
  return outcome.options;
}

function exit(argv: string[]) {
  const outcome = parseCli(argv);
  if (outcome.kind !== 'exit') throw new Error('expected an exit');
  return outcome;
}

describe('parseCli', () => {
  it('takes the three positional arguments with defaults for the rest', () => {
    expect(run(base)).toEqual({
      serverUrl: 'http://127.0.0.1:8080',
      challengesPath: 'game/challenges.json',
      credentialsPath: 'game/credentials.csv',
      players: undefined,
      jitterSeconds: 0,
      hints: false,
      thinkMs: 0,
      durationSeconds: undefined,
      outDir: '.',
      quiet: false,
    });
  });

  it('reads players, jitter and every flag', () => {
    const o = run([...base, '200', '2.5', '--hints', '--think-ms', '250', '--duration', '90', '--out', '/tmp/x', '--quiet']);
    expect(o).toMatchObject({ players: 200, jitterSeconds: 2.5, hints: true, thinkMs: 250, durationSeconds: 90, outDir: '/tmp/x', quiet: true });
  });

  it('accepts flags before the positional arguments', () => {
    expect(run(['--quiet', '--hints', ...base, '5']).players).toBe(5);
  });

  it.each([
    [['ftp://x', 'c.json', 'c.csv'], /must start with http/],
    [['not a url', 'c.json', 'c.csv'], /must be a URL/],
    [[...base, '0'], /players must be a whole number from 1/],
    [[...base, '1.5'], /players must be a whole number/],
    [[...base, 'ten'], /players must be a whole number/],
    [[...base, '10', '-1'], /jitter_seconds must be a number of seconds ≥ 0/],
    [[...base, '--think-ms', '-5'], /--think-ms must be a whole number/],
    [[...base, '--duration', '0'], /--duration must be a number of seconds > 0/],
    [[...base, '--frobnicate'], /unknown option '--frobnicate'/],
    [['http://127.0.0.1:8080', 'c.json'], /missing required argument 'credentials.csv'/],
    [[...base, '1', '2', '3'], /too many arguments/],
  ])('rejects %j with a clear message and exit code 2', (argv, message) => {
    const out = exit(argv);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('prints help with the argument shape and exits 0', () => {
    const out = exit(['--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/ctfg-emulator \[options\] <server_url> <challenges.json> <credentials.csv> \[players\] \[jitter_seconds\]/);
    expect(out.stdout).toMatch(/--think-ms <n>/);
    expect(out.stdout).toMatch(/--duration <s>/);
  });
});
