import { describe, expect, it } from 'vitest';
import type { AdminSubmission } from '../../../src/protocol/console.js';
import type { SocketHandlers, SocketOpener } from '../live/connection.js';
import { tapSubmissions } from './useAdminLive.js';

describe('tapSubmissions', () => {
  it('hands submission messages to the tap and everything else to the connection', () => {
    let handlers: SocketHandlers | null = null;
    const open: SocketOpener = (_url, h) => {
      handlers = h;
      return { send: () => undefined, close: () => undefined };
    };
    const tapped: AdminSubmission[] = [];
    const passed: string[] = [];
    let activity = 0;
    tapSubmissions(
      open,
      (s) => tapped.push(s),
      () => (activity += 1),
    )('ws://x/scorestream', {
      onOpen: () => undefined,
      onMessage: (t) => passed.push(t),
      onClose: () => undefined,
    });
    const sub = { type: 'submission', id: 1, ts: 2, username: 'u', displayname: 'U', challenge_id: 3, result: 'incorrect', flag: 'f', address: 'a' };
    handlers!.onMessage(JSON.stringify(sub));
    handlers!.onMessage('[{"id":1,"type":"score"}]');
    handlers!.onMessage('{"type":"system","event":"reload","ts":1}');
    expect(tapped.map((s) => s.id)).toEqual([1]);
    expect(passed).toHaveLength(2);
    expect(activity).toBe(3);
  });
});
