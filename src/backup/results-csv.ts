/**
 * The results export (SPEC §8): one CSV line per player on the board. Pure, so
 * the route only gathers rows. RFC 4180 quoting; a field a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, so
 * opening the results of a public game cannot run a player's name.
 */

export const RESULTS_HEADER = ['pos', 'username', 'displayname', 'team', 'division', 'score', 'solves', 'last_ts'] as const;

export interface ResultLine {
  readonly pos: number;
  readonly username: string;
  readonly displayname: string;
  /** empty until teams exist (SPEC §9) */
  readonly team: string;
  readonly division: string;
  readonly score: number;
  readonly solves: number;
  /** ms since the epoch of the last score change */
  readonly lastTs: number;
}

export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function resultsCsv(lines: readonly ResultLine[]): string {
  const rows = lines.map((l) => [l.pos, l.username, l.displayname, l.team, l.division, l.score, l.solves, l.lastTs].map(csvField).join(','));
  return `${[RESULTS_HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}
