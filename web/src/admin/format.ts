/** Small pure formatters for the console's tables (unit-tested). */
import type { ApiFailure } from '../api/client.js';
import { describeFailure } from '../api/messages.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "14:03:09" today, "Nov 29 14:03" on another day; local time. */
export function formatTs(ts: number | null, now = Date.now()): string {
  if (ts === null) return '—';
  const d = new Date(ts);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (new Date(now).toDateString() === d.toDateString()) return time;
  return `${d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${time.slice(0, 5)}`;
}

/** "just now", "5 min ago", "3 h ago", or the date. */
export function formatAgo(ts: number | null, now = Date.now()): string {
  if (ts === null) return 'never';
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return formatTs(ts, now);
}

/** A problem of a reload's 422 (`{file, where, message}`, as `ctfg validate` prints them). */
export function describeProblem(p: unknown): string {
  if (typeof p === 'string') return p;
  if (typeof p !== 'object' || p === null) return String(p);
  const r = p as Record<string, unknown>;
  const parts = [r.file, r.where, r.message].filter((x): x is string => typeof x === 'string' && x !== '');
  return parts.length > 0 ? parts.join(': ') : JSON.stringify(p);
}

/** The problem list of a reload's 422 body, or null for any other body. */
export function reloadProblems(body: unknown): string[] | null {
  if (typeof body !== 'object' || body === null) return null;
  const problems = (body as Record<string, unknown>).problems;
  return Array.isArray(problems) ? problems.map(describeProblem) : null;
}

/** An admin action's failure in words; validation messages from the server are shown verbatim. */
export function adminFailure(f: ApiFailure): string {
  if (f.kind === 'http') {
    if (f.code === 'unknown_user') return 'No player with that username.';
    if (f.code === 'unknown_id') return 'No such challenge or item (it may have been removed).';
    if (f.code === 'admin_not_configured') return 'The admin console is not configured: set CTFG_ADMIN_TOKEN and restart.';
    if (f.status === 404) return 'This server does not offer that action yet.';
    if (f.status === 400 && !/^[a-z_]+$/.test(f.code)) return f.code;
  }
  return describeFailure(f, 'load');
}

/** Points with a sign, for adjustments: "+50", "−20". */
export function signedPoints(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0';
}

/** One bar of the submissions-per-minute chart. */
export interface Bar {
  readonly x: number;
  readonly w: number;
  readonly h: number;
  readonly ts: number;
  readonly n: number;
}

/** Bars scaled to the box, the tallest minute at full height. */
export function bars(series: ReadonlyArray<readonly [number, number]>, width: number, height: number): Bar[] {
  const max = Math.max(1, ...series.map(([, n]) => n));
  const step = series.length === 0 ? width : width / series.length;
  return series.map(([ts, n], i) => ({ x: i * step + step * 0.1, w: step * 0.8, h: (n / max) * height, ts, n }));
}

/** Points typed by the organizer: a whole number other than 0, or null. */
export function parsePoints(text: string): number | null {
  const t = text.trim().replace(/^\+/, '').replace(/^−/, '-');
  if (!/^-?\d{1,9}$/.test(t)) return null;
  const n = Number(t);
  return n === 0 ? null : n;
}
