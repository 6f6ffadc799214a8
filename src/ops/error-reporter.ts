/** Where unexpected errors go besides the log. */
export interface ErrorReporter {
  capture(err: unknown, context?: Record<string, string | number>): void;
  /** waits (bounded) for queued reports to leave, at shutdown */
  flush(): Promise<void>;
}

export const NO_REPORTER: ErrorReporter = {
  capture: () => undefined,
  flush: async () => undefined,
};

/**
 * Sentry, when SENTRY_DSN is set. Loaded only then, since the SDK is large;
 * automatic instrumentation stays off: ctfg reports only its own 500s and
 * crashes, never request bodies (which hold flags and passwords).
 */
export async function sentryReporter(dsn: string, release: string): Promise<ErrorReporter> {
  const Sentry = await import('@sentry/node');
  Sentry.init({ dsn, release: `ctfg@${release}`, defaultIntegrations: false, tracesSampleRate: 0 });
  return {
    capture: (err, context) => {
      Sentry.captureException(err, context ? { extra: context } : undefined);
    },
    flush: async () => {
      await Sentry.flush(2000);
    },
  };
}
