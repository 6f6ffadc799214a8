/**
 * The console's pages are real paths under /admin (deep links work: the server answers every
 * /admin/* GET with the app), switched in place with the History API.
 */
import { ADMIN_PATH } from '../../../src/protocol/console.js';

export const ADMIN_PAGES = ['overview', 'players', 'submissions', 'challenges', 'announcements', 'audit', 'export', 'reset'] as const;
export type AdminPage = (typeof ADMIN_PAGES)[number];

export const PAGE_TITLES: Readonly<Record<AdminPage, string>> = {
  overview: 'Overview',
  players: 'Players',
  submissions: 'Submissions',
  challenges: 'Challenges',
  announcements: 'Announcements',
  audit: 'Audit log',
  export: 'Export',
  reset: 'Reset',
};

export function isAdminPath(pathname: string): boolean {
  return pathname === ADMIN_PATH || pathname.startsWith(`${ADMIN_PATH}/`);
}

/** `/admin/players/` → players; anything unknown → overview. */
export function parseAdminPath(pathname: string): AdminPage {
  const rest = pathname.slice(ADMIN_PATH.length).replace(/^\/+|\/+$/g, '');
  return (ADMIN_PAGES as readonly string[]).includes(rest) ? (rest as AdminPage) : 'overview';
}

export function adminHref(page: AdminPage): string {
  return page === 'overview' ? ADMIN_PATH : `${ADMIN_PATH}/${page}`;
}
