import { z } from 'zod';
import { InputLimits } from '../../protocol/limits.js';

/** A challenge or hint id: a JSON integer or a numeric string (older clients send strings). */
export const Id = z.union([
  z.number().int('must be an integer').safe(),
  z
    .string()
    .regex(/^\s*-?\d{1,15}\s*$/, 'must be an integer')
    .transform(Number),
]);

export const SubmitBody = z.object({
  id: Id,
  flag: z.string().max(InputLimits.flag, 'flag is too long'),
});

export const HintBody = z.object({
  id: Id,
  hint_id: Id,
});
