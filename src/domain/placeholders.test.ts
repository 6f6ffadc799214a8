import { describe, expect, it } from 'vitest';
import { deobfuscateDisplayName } from './obfuscate.js';
import { compileDescription, playerClusterFor, UNSET_DISPLAY_NAME, usesSignedName, type PlaceholderSettings } from './placeholders.js';

const clusters = { controlCluster: 'control.example', playerClusters: ['a.example', 'b.example', 'c.example'] };
const settings: PlaceholderSettings = { maskKey: 'k3y', clusters };
const ada = { username: 'player7', userId: 7, displayName: 'Ada' };
const anon = { username: 'player8', userId: 8, displayName: null };

describe('compileDescription', () => {
  it('substitutes every placeholder', () => {
    const render = compileDescription(
      '@USERNAME@|@USERID@|@DISPLAYNAME@|@CONTROL_CLUSTER@|@PLAYER_CLUSTER@|@OBFUSCATED_DISPLAYNAME@',
      settings,
    );
    const [username, id, name, control, player, obfuscated] = render(ada).split('|');
    expect([username, id, name, control, player]).toEqual(['player7', '7', 'Ada', 'control.example', 'b.example']);
    expect(deobfuscateDisplayName(obfuscated ?? '', 'k3y')).toBe('Ada');
  });

  it('substitutes @TEAM@ and @DIVISION@ (SPEC §9), empty outside team mode or without a division', () => {
    const render = compileDescription('[@TEAM@|@DIVISION@]', settings);
    expect(render({ ...ada, team: 'Red Team', division: 'Student' })).toBe('[Red Team|Student]');
    expect(render(ada)).toBe('[|]');
  });

  it('shows [unset] for both display-name placeholders before a name is chosen', () => {
    const render = compileDescription('@DISPLAYNAME@ @OBFUSCATED_DISPLAYNAME@', settings);
    expect(render(anon)).toBe(`${UNSET_DISPLAY_NAME} ${UNSET_DISPLAY_NAME}`);
  });

  it('renders @SIGNED_DISPLAYNAME@ with the signer it is given, and [unset] before a name is chosen', () => {
    const signName = (id: number, name: string): string => `signed(${id},${name})`;
    const render = compileDescription('<@SIGNED_DISPLAYNAME@>', { ...settings, signName });
    expect(render(ada)).toBe('<signed(7,Ada)>');
    expect(render(anon)).toBe(`<${UNSET_DISPLAY_NAME}>`);
  });

  it('refuses @SIGNED_DISPLAYNAME@ without a signer, and says which templates need one', () => {
    expect(() => compileDescription('id @SIGNED_DISPLAYNAME@', settings)).toThrow(/signing key/);
    expect(compileDescription('no signature here @DISPLAYNAME@', settings)(ada)).toBe('no signature here Ada');
    expect(usesSignedName('a @SIGNED_DISPLAYNAME@ b')).toBe(true);
    expect(usesSignedName('a @OBFUSCATED_DISPLAYNAME@ b')).toBe(false);
  });

  it('replaces repeated placeholders and leaves unknown ones alone', () => {
    const render = compileDescription('Hi @USERNAME@, @USERNAME@! @NOPE@ user@example.com @USERID', settings);
    expect(render(ada)).toBe('Hi player7, player7! @NOPE@ user@example.com @USERID');
  });

  it('does not expand placeholders inside substituted values', () => {
    const render = compileDescription('[@DISPLAYNAME@]', settings);
    expect(render({ ...ada, displayName: '@USERID@' })).toBe('[@USERID@]');
  });

  it('returns the text unchanged when there are no placeholders', () => {
    const text = 'Plain **markdown** with <b>html</b>';
    expect(compileDescription(text, settings)(ada)).toBe(text);
    expect(compileDescription('', settings)(ada)).toBe('');
  });

  it('renders cluster placeholders empty when there is no clusters file', () => {
    const render = compileDescription('[@CONTROL_CLUSTER@][@PLAYER_CLUSTER@]', { maskKey: 'k', clusters: null });
    expect(render(ada)).toBe('[][]');
  });
});

describe('playerClusterFor', () => {
  it('assigns round-robin as clusters[userId % n], like the earlier engine', () => {
    expect([1, 2, 3, 4, 5, 6].map((id) => playerClusterFor(clusters, id))).toEqual([
      'b.example',
      'c.example',
      'a.example',
      'b.example',
      'c.example',
      'a.example',
    ]);
  });

  it('gives everyone the only cluster when there is one, and "" when none', () => {
    expect(playerClusterFor({ controlCluster: 'c', playerClusters: ['solo'] }, 41)).toBe('solo');
    expect(playerClusterFor({ controlCluster: 'c', playerClusters: [] }, 41)).toBe('');
    expect(playerClusterFor(null, 41)).toBe('');
  });
});
