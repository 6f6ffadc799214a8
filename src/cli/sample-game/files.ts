/**
 * The non-challenge files of the sample game. Secrets (passwords, tokens) are
 * generated fresh for every `ctfg init`, so two demo games never share them.
 */
import { randomBytes, randomInt } from 'node:crypto';

const WORDS = [
  'comet', 'nebula', 'orbit', 'quasar', 'rocket', 'lunar', 'solar', 'photon',
  'galaxy', 'meteor', 'pulsar', 'zenith', 'cosmic', 'nova', 'saturn', 'jupiter',
  'venus', 'pluto', 'titan', 'europa', 'apollo', 'gemini', 'vega', 'sirius',
  'orion', 'lyra', 'draco', 'cygnus', 'aurora', 'eclipse', 'crater', 'module',
  'hatch', 'beacon', 'signal', 'vector', 'thruster', 'gravity', 'plasma', 'ion',
  'warp', 'shuttle', 'capsule', 'airlock', 'docking', 'station', 'radar', 'sonar',
  'laser', 'quantum', 'stellar', 'velvet', 'amber', 'cobalt', 'silver', 'crimson',
  'indigo', 'jade', 'copper', 'falcon', 'otter', 'panda', 'walrus', 'heron',
] as const;

function word(): string {
  return WORDS[randomInt(WORDS.length)] ?? 'comet';
}

/** Easy to read aloud in a classroom, e.g. "comet-velvet-417" (about 22 bits). */
export function memorablePassword(): string {
  return `${word()}-${word()}-${randomInt(100, 1000)}`;
}

export const SAMPLE_PLAYER_COUNT = 20;

export function sampleCredentialsCsv(count: number = SAMPLE_PLAYER_COUNT): string {
  const lines = ['username,password'];
  for (let i = 1; i <= count; i += 1) lines.push(`player${i},${memorablePassword()}`);
  return `${lines.join('\n')}\n`;
}

/** `ctfg init --teams`: five teams of four, in two divisions (SPEC §9). */
export const SAMPLE_TEAMS = [
  ['Comet Crew', 'Student'],
  ['Nebula Knights', 'Open'],
  ['Orbit Owls', 'Student'],
  ['Quasar Quokkas', 'Open'],
  ['Rocket Rangers', 'Student'],
] as const;

export function sampleTeamCredentialsCsv(count: number = SAMPLE_PLAYER_COUNT): string {
  const lines = ['username,password,team,division'];
  for (let i = 1; i <= count; i += 1) {
    const [team, division] = SAMPLE_TEAMS[(i - 1) % SAMPLE_TEAMS.length] ?? SAMPLE_TEAMS[0];
    lines.push(`player${i},${memorablePassword()},${team},${division}`);
  }
  return `${lines.join('\n')}\n`;
}

export const SAMPLE_CLUSTERS_YAML = `# Optional. Hosts shown to players through the @CONTROL_CLUSTER@ and
# @PLAYER_CLUSTER@ placeholders (players are spread over player_clusters
# round-robin by user id). Delete this file if your game does not need it.
control_cluster: control.meridian.example
player_clusters:
  - ring-a.meridian.example
  - ring-b.meridian.example
  - ring-c.meridian.example
`;

function token(): string {
  return randomBytes(32).toString('base64url');
}

export function sampleEnvFile(): string {
  return `# Settings for this game, read by ctfg at start. Real environment variables win.
# Keep this file private: anyone with these tokens can award solves, run the event or reset the game.

# Token an external judge sends as "Authorization: <token>" to POST /api/award.
CTFG_API_TOKEN=${token()}

# Token for the organizers: the admin login (POST /api/admin/login), admin scripts (Bearer) and the reset page at /reset.
CTFG_ADMIN_TOKEN=${token()}

# Key for the @OBFUSCATED_DISPLAYNAME@ placeholder; challenge checkers need the same key.
# Random for this game: the built-in default is public. The obfuscated name is
# obfuscation, not a signature (a player can recover the key from their own tag).
CTFG_MASK_KEY=${token()}

# Key for the @SIGNED_DISPLAYNAME@ placeholder: an HMAC a player cannot forge.
# Verify a value with: CTFG_SIGN_KEY=... ctfg verify-name <value>
CTFG_SIGN_KEY=${token()}
`;
}

export const SAMPLE_README = `# Heist on Station Meridian — a ctfg sample game

Start it from this folder with \`ctfg\` (or \`ctfg --game-dir <this folder>\`), then open
http://localhost:8080 and log in with any row of \`credentials.csv\`.

| file | what it is |
|---|---|
| challenges.json | the challenges: flags are regular expressions, \`testflag\` a known answer |
| credentials.csv | one \`username,password\` row per player (passwords may also be argon2id/scrypt hashes) |
| game-clusters.yaml | optional hosts for the cluster placeholders |
| .env | the judge (API) and admin tokens, generated for this game; keep it private |

Add \`images/banner.jpg\` or \`images/banner.png\` to show a banner at the top of the app.
Edit the files, then run \`ctfg\` again: every problem in them is reported at once.
`;

export const SAMPLE_EVENT_YAML = `# Optional: the event's title and schedule (SPEC §7). Times are ISO 8601
# with an offset; leave start/end out for an open game. Admins can change
# start, end, freeze and pause at runtime (POST /api/admin/event).
title: Heist on Station Meridian
# start: 2026-12-01T09:00:00Z      # before this: countdown, no challenges
# end: 2026-12-01T12:00:00Z        # after this: read-only
# freeze: 2026-12-01T11:30:00Z     # board frozen for players until the admin reveals
# public_scoreboard: false         # true: /board, /api/scoreboard and /api/ctftime need no login
# first_blood_bonus: [30, 20, 10]  # bonus for the 1st, 2nd, 3rd solver of each challenge
`;
