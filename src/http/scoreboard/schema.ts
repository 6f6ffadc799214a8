import { z } from 'zod';
import { SCOREBOARD_PAGE_MAX } from '../../protocol/api.js';

/**
 * A query-string integer: digits only, so "", "1e3", "-1", "0x10" and a
 * repeated parameter are all refused with the field's own message.
 */
function count(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.unknown().transform((v, check) => {
    const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN;
    if (n >= min && n <= max) return n;
    check.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/**
 * GET /api/scoreboard query (docs/api.md): no parameters is the whole board as
 * before; `limit`/`offset` ask for a page; `around=me` centres the page on the
 * viewer's own row. Other parameters are ignored.
 */
export const ScoreboardQuery = z
  .object({
    limit: count(1, SCOREBOARD_PAGE_MAX).optional(),
    offset: count(0, 1_000_000_000).optional(),
    around: z.literal('me', { error: 'must be "me"' }).optional(),
  })
  .refine((q) => q.around === undefined || q.offset === undefined, { error: 'cannot be combined with around', path: ['offset'] });

export type ScoreboardQuery = z.infer<typeof ScoreboardQuery>;
