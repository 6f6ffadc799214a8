import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ZodError, type ZodType } from 'zod';
import type { ErrorReporter } from '../ops/error-reporter.js';
import { ErrorCode, validationMessage, type ErrorBody } from '../protocol/api.js';

/** An answer that is not a success; thrown from handlers and turned into `{"error": code}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorBody['error'],
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

export const unauthorized = (): HttpError => new HttpError(401, ErrorCode.unauthorized);
export const badRequest = (code: ErrorCode): HttpError => new HttpError(400, code);
/** The one way to answer a 400 with a sentence instead of a code (SPEC §3 validation messages). */
export const invalidInput = (message: string): HttpError => new HttpError(400, validationMessage(message));
export const rateLimited = (retryAfterMs: number): HttpError =>
  new HttpError(429, ErrorCode.rateLimitExceeded, { 'retry-after': retryAfterSeconds(retryAfterMs) });

/** Retry-After in whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

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
  throw invalidInput(`${field}${issue.message}`);
}

/** Maps Fastify's own client errors (bad JSON, body too large, bad URL, …) to stable codes. */
function clientErrorCode(err: FastifyError): ErrorCode {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ErrorCode.payloadTooLarge;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ErrorCode.unsupportedMediaType;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ErrorCode.invalidJson;
    default:
      return ErrorCode.badRequest;
  }
}

export function sendError(reply: FastifyReply, status: number, error: ErrorBody['error'], headers: Record<string, string> = {}): FastifyReply {
  const body: ErrorBody = { error };
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
}

/** One error handler: expected errors become their code; the rest a generic 500 (details only in developer mode). */
export function installErrorHandling(app: FastifyInstance, developerMode: boolean, reporter: ErrorReporter): void {
  app.setErrorHandler((err: FastifyError | HttpError | ZodError, req, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.status, err.code, err.headers);
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      return sendError(reply, status, developerMode ? validationMessage(err.message) : clientErrorCode(err as FastifyError));
    }
    req.log.error({ err }, 'request failed');
    reporter.capture(err, { reqId: req.id, route: req.routeOptions.url ?? 'unmatched' });
    return sendError(reply, 500, developerMode ? validationMessage(String(err.stack ?? err.message)) : ErrorCode.internalError);
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, ErrorCode.notFound));
}
