import { summarize, type Summary } from '../../shared/stats.js';
import { Fleet } from '../fleet.js';
import { startFloor } from '../launcher.js';
import type { BenchContext } from './common.js';

/** About what one of ctfg's batches weighs here (~50 events); the system call costs nearly the same for half or twice that. */
export const FLOOR_MESSAGE_BYTES = 5000;
const ROUNDS = 20;

export interface FanOutFloor {
  readonly sockets: number;
  /** wall time of one loop writing the message to every socket */
  readonly roundMs: Summary;
  readonly perSocketUs: number;
}

/**
 * The fan-out floor: a bare `ws` server in its own process, the same number
 * of sockets held by the same fleet, and a message framed once and written to
 * every socket in one loop, ROUNDS times 300 ms apart. What a batch costs
 * before ctfg does anything of its own: on loopback the kernel delivers to the
 * reader inside the writer's system call.
 */
export async function measureFanOutFloor(ctx: BenchContext, sockets: number): Promise<FanOutFloor> {
  const floor = await startFloor({ kind: 'fanout' }, ctx.serverCpus);
  const fleet = Fleet.start(ctx.wsWorkers);
  try {
    const connected = await fleet.connect(Array.from({ length: sockets }, () => `ws://${floor.host}:${floor.port}/`), 100);
    if (connected.opened === 0) throw new Error(`no socket could connect to the fan-out floor: ${connected.errors.join('; ')}`);
    const rounds: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const res = await fetch(`${floor.url}/round?bytes=${FLOOR_MESSAGE_BYTES}`, { method: 'POST' });
      rounds.push(((await res.json()) as { ms: number }).ms);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const roundMs = summarize(rounds);
    return { sockets: connected.opened, roundMs, perSocketUs: (1000 * roundMs.p50) / connected.opened };
  } finally {
    await fleet.close();
    await floor.stop();
  }
}
