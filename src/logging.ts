import pino, { type Logger } from 'pino';

/**
 * One JSON object per line. Redaction lives in the logger itself, so a
 * careless log call cannot leak a password, token, session id or flag.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ctfg' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'password',
          'token',
          'flag',
          'cookie',
          'authorization',
          '*.password',
          '*.token',
          '*.flag',
          '*.cookie',
          '*.authorization',
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
