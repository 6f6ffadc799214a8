/**
 * Admin API shapes (SPEC §8) the console at /admin uses, shared with the admin routes. The player
 * app never needs them (it imports only ADMIN_PATH, to know when to load the console).
 */
import type { OverviewResponse, SubmissionsResponse, SubmissionView } from './api.js';

// The moderation shapes are the moderation module's own.
export type { AdjustRequest, AdminPlayer, AdminPlayersResponse, BanRequest, VisibilityRequest } from './admin.js';

/** The console's own path; everything under it is the lazy-loaded admin app. */
export const ADMIN_PATH = '/admin';

// The submissions log and the overview are the submissions module's own shapes (api.ts, messages.ts).
export type { SubmissionResult } from './api.js';
export type AdminSubmission = SubmissionView;
export type AdminSubmissionsResponse = SubmissionsResponse;
export type AdminOverview = OverviewResponse;
export type { SubmissionMessage } from './messages.js';

/** One challenge in the console's list (GET /api/admin/challenges). */
export interface AdminChallenge {
  readonly id: number;
  readonly title: string;
  readonly category: string;
  readonly difficulty: string;
  readonly points: number;
  /** hidden by an organizer, or not yet released */
  readonly hidden: boolean;
  readonly solves: number;
  /** display names of the first solvers (up to three), first first */
  readonly first_solvers: readonly string[];
}

export interface AdminChallengesResponse {
  readonly challenges: readonly AdminChallenge[];
}

// Reload's answers are the reload module's (api.ts).
export type { InvalidGameResponse, ReloadResponse } from './api.js';

/** The word the console asks an organizer to type before a reset. */
export const RESET_CONFIRM_WORD = 'RESET';
