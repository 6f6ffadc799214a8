import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CloseSteps } from '../lifecycle/close-steps.js';
import type { JudgedSubmit } from '../game/game-service.js';
import type { BusMessage, FanOut } from '../live/fanout.js';
import type { Hub } from '../live/hub.js';
import type { SubmissionView } from '../protocol/api.js';
import type { SubmissionMessage } from '../protocol/messages.js';
import { shownName } from '../state/player.js';
import type { Store } from '../storage/store.js';
import { SubmissionLog, type SubmissionLogOptions } from './submission-log.js';
import { submissionView } from './view.js';

export interface SubmissionsDeps {
  readonly store: Store;
  readonly fanout: FanOut;
  readonly hub: Hub;
  readonly logger: Logger;
  readonly options?: Partial<SubmissionLogOptions>;
}

export interface Submissions {
  readonly log: SubmissionLog;
  /** the judge's hook: queues one judged submit for the log */
  record(judged: JudgedSubmit): void;
}

function tail(hub: Hub, rows: readonly SubmissionView[]): void {
  if (hub.adminCount === 0) return;
  hub.sendToAdmins(rows.map((r) => JSON.stringify({ type: 'submission', ...r } satisfies SubmissionMessage)));
}

/**
 * The submissions log of this instance: judged submits are written in
 * batches, and each written batch goes to the admin sockets here and, over
 * the bus, on every other instance. Flag text travels only to the database
 * and to admins; it is never logged (errors are logged by code and count).
 */
export function startSubmissions(deps: SubmissionsDeps, closers: CloseSteps): Submissions {
  const { store, fanout, hub, logger } = deps;
  const origin = randomUUID();
  const log = new SubmissionLog(
    {
      store,
      onWritten: (records) => {
        const rows = records.map(submissionView);
        tail(hub, rows);
        fanout.publish({ kind: 'submissions', origin, rows }).catch((err: unknown) => logger.warn({ code: errorCode(err) }, 'sending submissions to the other instances failed'));
      },
      onError: (err, rows, givenUp) =>
        logger.error({ code: errorCode(err), rows }, givenUp ? 'writing the submissions log failed; rows dropped' : 'writing the submissions log failed; will retry'),
      onDropped: (rows) => logger.error({ rows }, 'submissions log queue full; rows dropped'),
    },
    deps.options,
  );
  fanout.subscribe((message: BusMessage) => {
    if (message.kind === 'submissions' && message.origin !== origin) tail(hub, message.rows);
  });
  closers.add('submissions log', () => log.flush());
  return {
    log,
    record(j) {
      const result = j.correct ? 'correct' : 'incorrect';
      log.record({ ts: j.ts, userId: j.player.id, username: j.player.username, displayname: shownName(j.player), challengeId: j.challengeId, result, flag: j.flag, address: j.address });
    },
  };
}

/** A database error's code only: its message or detail may quote the row, flag included. */
function errorCode(err: unknown): string {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'unknown';
}
