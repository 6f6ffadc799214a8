import type { Logger } from 'pino';
import path from 'node:path';
import { AdminDirectory } from '../auth/admins.js';
import type { SessionService } from '../auth/sessions.js';
import { formatProblems, type GameFiles } from '../config/game-folder.js';
import { displayNameKey, validateDisplayName } from '../domain/displayname.js';
import type { GameFileProblem } from '../domain/types.js';
import type { NameRekeyReport, Store, StoredGame, UserRecord } from '../storage/store.js';
import { bearerName, StreamTokens } from '../live/stream-tokens.js';
import type { Settings } from '../settings/settings.js';
import { compileGame, signKeyProblems, type DescriptionKeys } from '../state/compiled-game.js';
import { nameSigner } from '../signing/name-signature.js';
import { GameState } from '../state/game-state.js';

/* What start-up does between reading the game folder and wiring the server: keys, the rebuilt state, stream access. */

/** Raised when the game folder is invalid; carries every problem found. */
export class GameLoadError extends Error {
  constructor(readonly problems: readonly GameFileProblem[]) {
    super(formatProblems(problems));
  }
}

/** Start-up report of the display-name key migration (rules in storage/name-rekey.ts). */
function reportNameRekey(logger: Logger, report: NameRekeyReport): void {
  if (report.rekeyed > 0) logger.info({ checked: report.checked, rekeyed: report.rekeyed }, 'display-name keys moved to the look-alike skeleton');
  for (const c of report.collisions) {
    for (const lost of c.cleared) {
      logger.warn(
        { user: lost.username, name: lost.displayname, keptBy: c.kept.username, keptName: c.kept.displayname },
        `display name ${JSON.stringify(lost.displayname)} of ${lost.username} looks like ${JSON.stringify(c.kept.displayname)} of ${c.kept.username}: cleared (audited); the player picks a new one`,
      );
    }
  }
}

/** Names stored before today's rules (invisible characters, look-alike reserved words) stay, but organizers are told. */
function reportRefusedNames(logger: Logger, users: readonly UserRecord[]): void {
  for (const u of users) {
    const check = u.displayname === null ? null : validateDisplayName(u.displayname);
    if (check && !check.ok) logger.warn({ user: u.username, name: u.displayname, rule: check.message }, 'a stored display name breaks the current rules; clear it from the admin console if needed');
  }
}

/** The placeholder keys; a game using @SIGNED_DISPLAYNAME@ without CTFG_SIGN_KEY is refused like any bad game file. */
export function descriptionKeys(settings: Settings, challenges: Parameters<typeof signKeyProblems>[0]): DescriptionKeys {
  const keys: DescriptionKeys = { maskKey: settings.maskKey, signName: settings.signKey === null ? null : nameSigner(settings.signKey) };
  const problems = signKeyProblems(challenges, keys.signName !== null, settings.challengesPath ?? path.join(settings.gameDir, 'challenges.json'));
  if (problems.length > 0) throw new GameLoadError(problems);
  return keys;
}

/** Moves old name keys, adds new players, and rebuilds the in-memory game from the store in one pass. */
export async function rebuildState(store: Store, files: GameFiles, keys: DescriptionKeys, logger: Logger): Promise<{ state: GameState; stored: StoredGame }> {
  reportNameRekey(logger, await store.rekeyDisplayNames(displayNameKey, Date.now()));
  const users = await store.syncUsers(files.credentials.map((c) => c.username));
  reportRefusedNames(logger, users);
  const stored = await store.load();
  const game = compileGame(files.challenges, files.clusters, keys);
  const state = new GameState(game, users, stored, { firstBloodBonus: files.event.firstBloodBonus, roster: files.credentials });
  logger.info({ players: users.length, events: stored.events.length, challenges: files.challenges.length, lastEventId: stored.lastId }, 'game state rebuilt');
  return { state, stored };
}


/** Who may act as an organizer, and the scorestream tokens, whose admin sockets last only while the organizer does. */
export async function streamAccess(
  settings: Settings,
  files: GameFiles,
  store: Store,
  sessions: SessionService,
): Promise<{ admins: AdminDirectory; tokens: StreamTokens; adminAlive: (idHash: string) => Promise<boolean> }> {
  const admins = new AdminDirectory(settings.adminToken, files.admins);
  const adminAlive = async (idHash: string): Promise<boolean> => {
    const bearer = bearerName(idHash);
    if (bearer !== null) return admins.sessionStands(bearer);
    const session = await store.getAdminSession(idHash);
    return session !== null && session.expiresAt > Date.now() && admins.sessionStands(session.name);
  };
  const tokens = new StreamTokens(await store.sharedSecret('scorestream'), sessions, settings.streamTokenSeconds * 1000, Date.now, adminAlive);
  return { admins, tokens, adminAlive };
}
