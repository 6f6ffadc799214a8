import type { Fleet } from '../fleet.js';
import type { BenchGame } from '../game.js';
import { buildRequest, connections, type RawConnection } from '../http-client.js';
import { pacedLoop, type Job, type PacedResult } from '../load.js';
import { eventKey, expectCorrect, type Session } from '../players.js';
import { performance } from 'node:perf_hooks';

/**
 * Correct submits at a steady rate while sockets listen: the k-th goes to
 * solver k mod n, challenge order[k div n], so a player's next submit comes
 * n/rate seconds after the previous one (long after it was answered).
 * With several instances the k-th goes to instance k mod ports.length (round
 * robin, like a load balancer: sessions are shared). Every write is
 * announced to the socket workers with the instance it went to; they time
 * the deliveries.
 */
export async function pacedSolves(
  host: string,
  ports: readonly number[],
  solvers: readonly Session[],
  game: BenchGame,
  fleet: Fleet,
  o: { readonly rate: number; readonly total: number; readonly maxMs: number; readonly stop?: () => boolean },
): Promise<PacedResult> {
  const capacity = solvers.length * game.order.length;
  if (o.total > capacity) throw new Error(`${o.total} solves need more than ${solvers.length} solvers × ${game.order.length} challenges`);
  const byId = new Map(game.challenges.map((c) => [c.id, c]));
  const hostHeader = `${host}:${ports[0] ?? 0}`;
  // Enough connections per instance that a slow answer never holds back the next submit (open loop).
  const lanes: RawConnection[][] = ports.map((port) => connections(host, port, Math.max(8, Math.ceil(o.rate / 2 / ports.length))));
  let k = 0;
  const next = (): Job | null => {
    if (k >= o.total) return null;
    const s = solvers[k % solvers.length] as Session;
    const c = byId.get(game.order[Math.floor(k / solvers.length)] as number);
    k++;
    if (!c) throw new Error('challenge order out of range');
    const key = eventKey(s.displayname, c.id);
    const lane = (k - 1) % ports.length;
    return {
      lane,
      bytes: buildRequest('POST', '/api/submit', hostHeader, { cookie: s.cookie, json: { id: c.id, flag: c.testflag } }),
      check: expectCorrect,
      onWrite: (at) => fleet.sent(key, performance.timeOrigin + at, lane),
    };
  };
  try {
    return await pacedLoop(lanes, next, o.rate, o.maxMs, o.stop);
  } finally {
    for (const c of lanes.flat()) c.close();
  }
}
