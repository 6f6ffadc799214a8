import { z } from 'zod';
import { InputLimits } from '../protocol/limits.js';
import { parseInput } from './errors.js';

/** `?division=NAME` on the boards, the CTFtime feed and the results export (SPEC §9). */
const DivisionQuery = z.object({ division: z.string().trim().min(1).max(InputLimits.division).optional() });

/** The division asked for, or null for the whole board; a 400 for a malformed one. */
export function divisionOf(query: unknown): string | null {
  return parseInput(DivisionQuery, query).division ?? null;
}
