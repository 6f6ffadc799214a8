import type { Logger } from 'pino';
import type { Store } from '../storage/store.js';

/** Deletes expired sessions hourly; returns the stop function. */
export function startSessionSweeper(store: Store, logger: Logger): () => void {
  const sweeper = setInterval(
    () => {
      store.deleteExpiredSessions(Date.now()).catch((err: unknown) => logger.error({ err }, 'session cleanup failed'));
    },
    60 * 60 * 1000,
  );
  sweeper.unref();
  return () => clearInterval(sweeper);
}
