import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ZodError, type ZodType } from 'zod';
import type { ErrorReporter } from '../ops/error-reporter.js';
import { ErrorCode } from '../protocol/api.js';

/** An answer that is not a success; thrown from handlers and turned into `{"error": code}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

export const unauthorized = (): HttpError => new HttpError(401, ErrorCode.unauthorized);
export const badRequest = (message: string): HttpError => new HttpError(400, message);
export const rateLimited = (retryAfterMs: number): HttpError =>
  new HttpError(429, ErrorCode.rateLimitExceeded, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });

/**
 * Validates a body or query against a schema. Missing fields answer
 * `missing_parameters`; anything else names the field and what is wrong.
 */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw badRequest(ErrorCode.badRequest);
  if (issue.code === 'invalid_type' && (issue.input === undefined || issue.input === null) && issue.path.length > 0) {
    throw badRequest(ErrorCode.missingParameters);
  }
  const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw badRequest(`${field}${issue.message}`);
}

/** Maps Fastify's own client errors (bad JSON, body too large, …) to stable codes. */
function clientErrorCode(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ErrorCode.payloadTooLarge;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ErrorCode.unsupportedMediaType;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'invalid_json';
    default:
      return ErrorCode.badRequest;
  }
}

function send(reply: FastifyReply, status: number, error: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send({ error });
}

/** One error handler: expected errors become their code; the rest a generic 500 (details only in developer mode). */
export function installErrorHandling(app: FastifyInstance, developerMode: boolean, reporter: ErrorReporter): void {
  app.setErrorHandler((err: FastifyError | HttpError | ZodError, req, reply) => {
    if (err instanceof HttpError) return send(reply, err.status, err.code, err.headers);
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      return send(reply, status, developerMode ? err.message : clientErrorCode(err as FastifyError));
    }
    req.log.error({ err }, 'request failed');
    reporter.capture(err, { reqId: req.id, route: req.routeOptions.url ?? 'unmatched' });
    return send(reply, 500, developerMode ? String(err.stack ?? err.message) : ErrorCode.internalError);
  });
  app.setNotFoundHandler((_req, reply) => send(reply, 404, ErrorCode.notFound));
}
