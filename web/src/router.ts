/**
 * Hash routes: `#challenges`, `#scoreboard`, `#announcements`, `#challenge-<id>`. Hash routing needs no server
 * support (the server only serves `/` and `/assets/`) and gives back/forward for free.
 */
export type Route =
  | { readonly name: 'challenges' }
  | { readonly name: 'scoreboard' }
  | { readonly name: 'announcements' }
  | { readonly name: 'challenge'; readonly id: number };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  if (h === 'scoreboard') return { name: 'scoreboard' };
  if (h === 'announcements') return { name: 'announcements' };
  const m = /^challenge-(\d{1,9})$/.exec(h);
  if (m?.[1] !== undefined) return { name: 'challenge', id: Number.parseInt(m[1], 10) };
  return { name: 'challenges' };
}

export function routeHref(route: Route): string {
  return route.name === 'challenge' ? `#challenge-${route.id}` : `#${route.name}`;
}
