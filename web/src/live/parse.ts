/**
 * Narrowing of scorestream messages. The server is trusted, but a proxy error page or a future
 * message kind must not crash the app, so anything unrecognised becomes `null`.
 */
import type { LiveEvent, ResetMessage, SnapshotMessage } from '../../../src/protocol/messages.js';

export type ParsedMessage =
  | { readonly kind: 'snapshot'; readonly snapshot: SnapshotMessage }
  | { readonly kind: 'events'; readonly events: readonly LiveEvent[] }
  | { readonly kind: 'reset'; readonly reset: ResetMessage };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEvent(v: unknown): v is LiveEvent {
  return (
    isRecord(v) &&
    typeof v.id === 'number' &&
    (v.type === 'score' || v.type === 'hint') &&
    typeof v.displayname === 'string' &&
    typeof v.ts === 'number' &&
    typeof v.points === 'number'
  );
}

export function parseServerMessage(text: string): ParsedMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(data)) {
    return { kind: 'events', events: data.filter(isEvent) };
  }
  if (!isRecord(data)) return null;
  if (data.type === 'snapshot' && typeof data.last_id === 'number' && Array.isArray(data.standings)) {
    const top = Array.isArray(data.top) ? data.top : [];
    return { kind: 'snapshot', snapshot: { ...(data as unknown as SnapshotMessage), top } };
  }
  if (data.type === 'system' && data.event === 'reset') {
    return { kind: 'reset', reset: data as unknown as ResetMessage };
  }
  return null;
}
