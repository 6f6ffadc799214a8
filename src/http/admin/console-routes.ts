import type { FastifyInstance } from 'fastify';
import type { AdminChallenge, AdminChallengesResponse } from '../../protocol/console.js';
import type { EventRecord } from '../../storage/store.js';
import { isCounted, shownName } from '../../state/player.js';
import type { HttpContext } from '../context.js';
import { requireAdmin } from './admin-auth.js';

const FIRST_SOLVERS = 3;

interface Tally {
  solves: number;
  first: string[];
}

/** The standing solves (revoked ones cancelled), oldest first. */
function standingSolves(events: readonly EventRecord[]): EventRecord[] {
  const standing = new Map<string, EventRecord>();
  for (const e of events) {
    const key = `${e.userId}:${e.challengeId}`;
    if (e.kind === 'score') standing.set(key, e);
    else if (e.kind === 'revoke') standing.delete(key);
  }
  return [...standing.values()].sort((a, b) => a.id - b.id);
}

/**
 * Solve counts and first solvers per challenge from the stored events, counting as the boards do:
 * revoked solves and banned or unranked players are left out (SPEC §8).
 */
function tallySolves(ctx: HttpContext, events: readonly EventRecord[]): Map<number, Tally> {
  const tallies = new Map<number, Tally>();
  for (const e of standingSolves(events)) {
    const p = ctx.state.playerById(e.userId);
    if (!p || !isCounted(p)) continue;
    let t = tallies.get(e.challengeId);
    if (!t) tallies.set(e.challengeId, (t = { solves: 0, first: [] }));
    t.solves += 1;
    if (t.first.length < FIRST_SOLVERS) t.first.push(shownName(p));
  }
  return tallies;
}

/**
 * Read-only views the console needs beyond the SPEC §8 rows: the challenge list with solves and
 * first solvers. It reads the store (an admin page opened now and then, not a hot path).
 */
export function adminConsoleRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/admin/challenges', async (req): Promise<AdminChallengesResponse> => {
    await requireAdmin(ctx, req);
    const tallies = tallySolves(ctx, (await ctx.store.load()).events);
    const challenges = ctx.state.currentGame.challenges.map(({ challenge: c }): AdminChallenge => {
      const t = tallies.get(c.id);
      return {
        id: c.id,
        title: c.title,
        category: c.category,
        difficulty: c.difficulty,
        points: c.points,
        hidden: ctx.state.isHidden(c.id),
        solves: t?.solves ?? 0,
        first_solvers: t?.first ?? [],
      };
    });
    return { challenges };
  });
}
