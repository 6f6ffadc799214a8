import { describe, expect, it } from 'vitest';
import { AdminDirectory } from './admins.js';
import { hashPassword } from './passwords.js';

describe('AdminDirectory', () => {
  it('matches CTFG_ADMIN_TOKEN as "token" and plain rows by name at once; hashed rows only slowly, then at once', async () => {
    const hash = await hashPassword('bo-token-0123456789');
    const admins = new AdminDirectory('env-token-0123456789', [
      { name: 'Ada', token: 'ada-token-0123456789' },
      { name: 'Bo', token: hash },
    ]);
    expect([admins.configured, admins.fromFile, admins.hasHashed]).toEqual([true, true, true]);
    expect(admins.matchNow('env-token-0123456789')).toBe('token');
    expect(admins.matchNow('ada-token-0123456789')).toBe('Ada');
    expect(admins.matchNow('bo-token-0123456789')).toBeNull();
    expect(await admins.matchSlow('wrong-token-0123456')).toBeNull();
    const [a, b] = await Promise.all([admins.matchSlow('bo-token-0123456789'), admins.matchSlow('bo-token-0123456789')]);
    expect([a, b]).toEqual(['Bo', 'Bo']);
    expect(admins.matchNow('bo-token-0123456789')).toBe('Bo');
  }, 30_000);

  it('a replaced file forgets removed organizers, their remembered tokens and their sessions', async () => {
    const admins = new AdminDirectory(null, [{ name: 'Bo', token: await hashPassword('bo-token-0123456789') }]);
    expect(await admins.matchSlow('bo-token-0123456789')).toBe('Bo');
    expect(admins.sessionStands('Bo')).toBe(true);
    expect(admins.sessionStands('token')).toBe(false);
    admins.replace([{ name: 'Cy', token: 'cy-token-0123456789' }]);
    expect(admins.matchNow('bo-token-0123456789')).toBeNull();
    expect(admins.sessionStands('Bo')).toBe(false);
    admins.replace([]);
    expect([admins.configured, admins.sessionStands('anyone')]).toEqual([false, true]);
  }, 30_000);
});
