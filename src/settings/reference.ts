import { SETTINGS, type SettingDef } from './definitions.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The settings reference table (docs/settings.md), generated from the definitions. */
export function settingsReference(): string {
  const rows = Object.values(SETTINGS).map((d: SettingDef<unknown>) => {
    const flag = d.flag ? `\`${d.flag}\`` : '';
    const env = d.env ? `\`${d.env}\`` : '(flag only)';
    return `| ${env} | ${cell(flag)} | ${cell(d.defaultText)} | ${cell(d.meaning)} |`;
  });
  return [
    '# Settings',
    '',
    '<!-- Generated from src/settings/definitions.ts; a unit test fails when this file and the definitions differ. -->',
    '',
    'Every setting of a ctfg instance. A CLI flag wins over the environment, and a real environment',
    "variable (even set to an empty value) wins over the game folder's `.env`. An empty value means",
    'unset. ctfg checks every setting before it opens anything and, when some are wrong, names each',
    'bad value in one report and exits with status 1. Secrets (tokens, keys, URLs) are not echoed.',
    '',
    '| name | flag | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
    'The optional argument `[challenges.json]` names the challenges file (default: `<game-dir>/challenges.json`).',
    '',
  ].join('\n');
}
