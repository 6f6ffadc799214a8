import { describe, expect, it } from 'vitest';
import { adminHref, ADMIN_PAGES, isAdminPath, parseAdminPath } from './route.js';

describe('admin routes', () => {
  it('recognises the console paths only', () => {
    expect(isAdminPath('/admin')).toBe(true);
    expect(isAdminPath('/admin/players')).toBe(true);
    expect(isAdminPath('/administrator')).toBe(false);
    expect(isAdminPath('/')).toBe(false);
    expect(isAdminPath('/board')).toBe(false);
  });

  it('round-trips every page and falls back to the overview', () => {
    for (const page of ADMIN_PAGES) expect(parseAdminPath(adminHref(page))).toBe(page);
    expect(parseAdminPath('/admin/players/')).toBe('players');
    expect(parseAdminPath('/admin/nope')).toBe('overview');
    expect(parseAdminPath('/admin/')).toBe('overview');
  });
});
