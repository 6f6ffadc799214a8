import type { Fleet } from '../fleet.js';
import type { BenchGame } from '../game.js';
import { buildRequest, connections } from '../http-client.js';
import { pacedLoop, type Job, type PacedResult } from '../load.js';
import { eventKey, expectCorrect, type Session } from '../players.js';
import { performance } from 'node:perf_hooks';

/**
 * Correct submits at a steady rate while sockets listen: the k-th goes to
 * solver k mod n, challenge order[k div n], so a player's next submit comes
 * n/rate seconds after the previous one (long after it was answered).
 * Every write is announced to the socket workers, which time the deliveries.
 */
export async function pacedSolves(
  host: string,
  port: number,
  solvers: readonly Session[],
  game: BenchGame,
  fleet: Fleet,
  o: { readonly rate: number; readonly total: number; readonly maxMs: number; readonly stop?: () => boolean },
): Promise<PacedResult> {
  const capacity = solvers.length * game.order.length;
  if (o.total > capacity) throw new Error(`${o.total} solves need more than ${solvers.length} solvers × ${game.order.length} challenges`);
  const byId = new Map(game.challenges.map((c) => [c.id, c]));
  const hostHeader = `${host}:${port}`;
  // Enough connections that a slow answer never holds back the next submit (open loop).
  const conns = connections(host, port, Math.max(8, Math.ceil(o.rate / 2)));
  let k = 0;
  const next = (): Job | null => {
    if (k >= o.total) return null;
    const s = solvers[k % solvers.length] as Session;
    const c = byId.get(game.order[Math.floor(k / solvers.length)] as number);
    k++;
    if (!c) throw new Error('challenge order out of range');
    const key = eventKey(s.displayname, c.id);
    return {
      bytes: buildRequest('POST', '/api/submit', hostHeader, { cookie: s.cookie, json: { id: c.id, flag: c.testflag } }),
      check: expectCorrect,
      onWrite: (at) => fleet.sent(key, performance.timeOrigin + at),
    };
  };
  try {
    return await pacedLoop(conns, next, o.rate, o.maxMs, o.stop);
  } finally {
    for (const c of conns) c.close();
  }
}
