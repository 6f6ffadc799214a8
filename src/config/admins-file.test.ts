import { describe, expect, it } from 'vitest';
import { parseAdmins } from './admins-file.js';

const SCRYPT = '$scrypt$ln=4,r=8,p=1$c2FsdHNhbHQ$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWg';

describe('admins.csv', () => {
  it('reads name,token rows with or without a header, plain or hashed', () => {
    expect(parseAdmins('name,token\nAda,ada-token-0123456789\n')).toEqual({ ok: true, value: [{ name: 'Ada', token: 'ada-token-0123456789' }] });
    expect(parseAdmins('Ada,ada-token-0123456789\r\nBo,"bo token with spaces"\n')).toMatchObject({ ok: false });
    const hashed = parseAdmins(`Ada,"${SCRYPT}"\n`);
    expect(hashed.ok ? hashed.value[0]?.token : hashed.problems).toBe(SCRYPT);
  });

  it('reports every bad row by line, never quoting a token', () => {
    const text = 'name,token\nAda,short-tok\nBo\n,nameless-token-0123\nTOKEN,reserved-token-0123\nada,other-token-012345\nCy,$2b$10$abcdefghijklmnopqrstuv\nDi,$scrypt$broken\nEd,short-tok\n';
    const r = parseAdmins(text);
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map((p) => `${p.where}: ${p.message}`);
    expect(lines).toEqual([
      'line 2: token for "Ada" must be at least 12 characters without spaces (printable ASCII), or a hash from `ctfg hash-password`',
      'line 3: expected 2 columns (name,token) but found 1; put a token that contains a comma in double quotes',
      'line 4: name must be 1–40 characters',
      'line 5: the name "token" is kept for CTFG_ADMIN_TOKEN in the audit log; choose another',
      expect.stringMatching(/^line 7: token for "Cy" looks like a bcrypt hash/),
      expect.stringMatching(/^line 8: token for "Di" /),
      'line 9: token for "Ed" must be at least 12 characters without spaces (printable ASCII), or a hash from `ctfg hash-password`',
    ]);
    expect(lines.join('\n')).not.toContain('short-tok\n');
  });

  it('refuses two organizers with one name or one token, and an empty file', () => {
    const r = parseAdmins('Ada,same-token-0123456\nada,other-token-012345\nBo,same-token-0123456\n');
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual(['duplicate name "ada" (first on line 1)', '"Bo" has the same token as line 1; give every organizer their own']);
    expect(parseAdmins('name,token\n')).toMatchObject({ ok: false, problems: [{ where: 'whole file' }] });
  });
});
