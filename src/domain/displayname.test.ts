import { describe, expect, it } from 'vitest';
import { displayNameKey, validateDisplayName } from './displayname.js';

function messageFor(raw: string): string {
  const result = validateDisplayName(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
  return result.message;
}

describe('validateDisplayName', () => {
  it('accepts ordinary names and normalizes whitespace', () => {
    expect(validateDisplayName('  Ada   Lovelace \t')).toEqual({ ok: true, name: 'Ada Lovelace', key: 'ada lovelace' });
    expect(validateDisplayName("O'Brien (team #3)!").ok).toBe(true);
    expect(validateDisplayName('Zoë_42-x.y,z?@').ok).toBe(true);
    expect(validateDisplayName('東京のハッカー').ok).toBe(true);
  });

  it('counts code points, not UTF-16 units, and composes accents first', () => {
    expect(validateDisplayName('𝒜𝒷').ok).toBe(true); // 2 code points, 4 UTF-16 units
    expect(validateDisplayName('éa'.repeat(15)).ok).toBe(true);
    const decomposed = validateDisplayName('Zoe\u0301');
    expect(decomposed.ok && decomposed.name).toBe('Zoé');
  });

  it('enforces 2 to 30 characters', () => {
    expect(messageFor('a')).toBe('Display name must be at least 2 characters');
    expect(messageFor('   ')).toBe('Display name must be at least 2 characters');
    expect(validateDisplayName('ab').ok).toBe(true);
    expect(validateDisplayName('abcd'.repeat(7) + 'ab').ok).toBe(true);
    expect(messageFor('abcd'.repeat(7) + 'abc')).toBe('Display name must be at most 30 characters');
  });

  it('refuses characters outside the allowed set', () => {
    const expected = "Display name may only contain letters, digits, spaces and - _ . , ' ! ? @ # ( )";
    for (const bad of ['<script>', 'a&b', 'say "hi"', 'rocket 🚀', 'tab;semi', 'a/b', 'x\u0000y']) {
      expect(messageFor(bad)).toBe(expected);
    }
  });

  it('refuses invisible characters, saying so (issue 13 finding 8)', () => {
    const invisible = 'Display name must not contain invisible characters (zero-width, filler or variation-selector characters)';
    for (const bad of ['Ada\u3164', '\u3164\u3164', 'Ad\u034Fa', 'Ada\uFE0F', 'zero\u200bwidth', 'A\u115Fda', 'A\u1160da', 'Ada\u{E0100}', 'A\u200Dda', 'A\u202Eda']) {
      expect(messageFor(bad), JSON.stringify(bad)).toBe(invisible);
    }
    expect(messageFor('ad\u034Fmin')).toBe(invisible);
  });

  it('refuses stacks of more than two marks on one letter, keeping real accents', () => {
    expect(messageFor('Z\u0301\u0302\u0303algo')).toBe('Display name must not stack more than 2 accents or marks on one letter');
    expect(validateDisplayName('Nguyễn Thị').ok).toBe(true);
    expect(validateDisplayName('José').ok).toBe(true);
  });

  it('compares names and reserved words by their confusable skeleton', () => {
    const keyOf = (name: string): string | null => {
      const check = validateDisplayName(name);
      return check.ok ? check.key : null;
    };
    expect(keyOf('\u0410da')).toBe(keyOf('Ada'));
    expect(keyOf('ＡＤＡ')).toBe(keyOf('ada'));
    expect(messageFor('\u0430dmin')).toBe('Display name must not contain "admin"');
    expect(messageFor('ADM\u0130N')).toBe('Display name must not contain "admin"');
    expect(messageFor('\u0455ystem')).toBe('Display name must not contain "system"');
    expect(keyOf('Ana')).not.toBe(keyOf('Ada'));
  });

  it('refuses reserved words anywhere, in any case or width', () => {
    expect(messageFor('The Admin')).toBe('Display name must not contain "admin"');
    expect(messageFor('xADMINISTRATORx')).toBe('Display name must not contain "administrator"');
    expect(messageFor('ＲＯＯＴ beer')).toBe('Display name must not contain "root"');
    expect(messageFor('GameMaster 9')).toBe('Display name must not contain "gamemaster"');
    for (const word of ['moderator', 'mod', 'system', 'ctfg', 'official', 'support', 'staff', 'owner', 'operator']) {
      expect(messageFor(`my ${word} name`)).toContain(`"${word}"`);
    }
  });

  it('refuses a character repeated 5 or more times in a row', () => {
    expect(validateDisplayName('aaaab').ok).toBe(true);
    expect(messageFor('aaaaab')).toBe('Display name must not repeat a character 5 or more times in a row');
    expect(messageFor('x!!!!!')).toBe('Display name must not repeat a character 5 or more times in a row');
    expect(messageFor('AaAaA')).toBe('Display name must not repeat a character 5 or more times in a row');
  });

  it('gives the same key to names that differ only in case or width', () => {
    expect(displayNameKey('Ada')).toBe(displayNameKey('ＡＤＡ'));
    expect(displayNameKey('ADA')).toBe('ada');
  });
});
