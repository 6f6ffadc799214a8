import { describe, expect, it } from 'vitest';
import type { EventResponse } from '../../../src/protocol/api.js';
import type { AnnouncementMessage, LiveEvent, SnapshotMessage } from '../../../src/protocol/messages.js';
import type { PlayEvent } from './parse.js';
import { LiveConnection, withSince, type ConnectionStatus, type FreshUrl, type SocketHandlers } from './connection.js';
import { parseServerMessage } from './parse.js';

class FakeSocket {
  sent: string[] = [];
  closedWith: number | null = null;
  constructor(
    readonly url: string,
    readonly h: SocketHandlers,
  ) {}
  open(): void {
    this.h.onOpen();
  }
  message(data: unknown): void {
    this.h.onMessage(typeof data === 'string' ? data : JSON.stringify(data));
  }
  drop(code = 1006): void {
    this.h.onClose(code);
  }
}

/** Manual clock: scheduled callbacks run only when the test advances time. */
class FakeClock {
  now = 0;
  private seq = 0;
  private tasks = new Map<number, { at: number; fn: () => void }>();
  schedule = (fn: () => void, ms: number): (() => void) => {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.now + ms, fn });
    return () => this.tasks.delete(id);
  };
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.tasks.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.tasks.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
      await Promise.resolve();
      await Promise.resolve();
    }
    this.now = end;
  }
  pending(): number {
    return this.tasks.size;
  }
}

function snapshot(lastId: number): SnapshotMessage {
  return { type: 'snapshot', last_id: lastId, ts: 0, standings: [], top: [] };
}
function event(id: number): LiveEvent {
  return { id, type: 'score', displayname: 'p', ts: id, challenge_id: 1, challenge: 'c', points: 10 };
}

function setup(fresh: () => Promise<FreshUrl> = async () => ({ kind: 'url', url: 'ws://h/scorestream?token=NEW' })) {
  const sockets: FakeSocket[] = [];
  const clock = new FakeClock();
  const log = {
    snapshots: [] as SnapshotMessage[],
    events: [] as PlayEvent[][],
    statuses: [] as ConnectionStatus[],
    resets: 0,
    loggedOut: 0,
    freshCalls: 0,
    opens: 0,
    reloads: 0,
    clocks: [] as EventResponse[],
    announcements: [] as AnnouncementMessage[],
  };
  const conn = new LiveConnection(
    'ws://h/scorestream?token=OLD',
    {
      onSnapshot: (m) => log.snapshots.push(m),
      onEvents: (e) => log.events.push([...e]),
      onReset: () => log.resets++,
      onStatus: (s) => log.statuses.push(s),
      onLoggedOut: () => log.loggedOut++,
      onOpen: () => log.opens++,
      onClock: (c) => log.clocks.push(c),
      onReload: () => log.reloads++,
      onAnnouncement: (a) => log.announcements.push(a),
    },
    {
      openSocket: (url, h) => {
        const s = new FakeSocket(url, h);
        sockets.push(s);
        return { send: (t) => s.sent.push(t), close: (code) => (s.closedWith = code ?? 1000) };
      },
      fetchFreshUrl: () => {
        log.freshCalls++;
        return fresh();
      },
      schedule: clock.schedule,
      random: () => 0.5,
      pingIntervalMs: 25_000,
    },
  );
  const last = (): FakeSocket => {
    const s = sockets[sockets.length - 1];
    if (!s) throw new Error('no socket');
    return s;
  };
  return { conn, sockets, clock, log, last };
}

describe('withSince', () => {
  it('adds or replaces the since parameter and keeps the token', () => {
    expect(withSince('ws://h/scorestream?token=abc', 42)).toBe('ws://h/scorestream?token=abc&since=42');
    expect(withSince('ws://h/scorestream?token=abc&since=1', 42)).toBe('ws://h/scorestream?token=abc&since=42');
    expect(withSince('ws://h/scorestream', 0)).toBe('ws://h/scorestream?since=0');
    expect(withSince('ws://h/scorestream?token=abc', null)).toBe('ws://h/scorestream?token=abc');
  });
});

describe('LiveConnection', () => {
  it('goes live on open, delivers the snapshot and then only newer events', () => {
    const { conn, log, last } = setup();
    conn.start();
    expect(log.statuses).toEqual(['connecting']);
    last().open();
    expect(log.statuses).toEqual(['connecting', 'live']);
    last().message(snapshot(5));
    last().message([event(4), event(5), event(6)]);
    last().message([event(6), event(7)]);
    expect(log.snapshots).toHaveLength(1);
    expect(log.events).toEqual([[event(6)], [event(7)]]);
    expect(conn.lastEventId).toBe(7);
  });

  it('reconnects with backoff and resumes with &since=<last id>', async () => {
    const { conn, log, last, sockets, clock } = setup();
    conn.start();
    last().open();
    last().message(snapshot(5));
    last().message([event(6)]);
    last().drop(1001);
    expect(log.statuses.at(-1)).toBe('reconnecting');
    expect(sockets).toHaveLength(1);
    await clock.advance(250); // attempt 0: full jitter of 500 ms with random 0.5
    expect(sockets).toHaveLength(2);
    expect(last().url).toBe('ws://h/scorestream?token=OLD&since=6');
    last().open();
    expect(log.statuses.at(-1)).toBe('live');
    last().message([event(6), event(7)]); // the server may overlap: the duplicate is dropped
    expect(log.events.at(-1)).toEqual([event(7)]);
    expect(log.freshCalls).toBe(0);
  });

  it('a refused handshake (closed before open) fetches a fresh URL from /api/me', async () => {
    const { conn, log, last, sockets, clock } = setup();
    conn.start();
    last().open();
    last().message(snapshot(3));
    last().drop(1006);
    await clock.advance(250);
    last().drop(1006); // token expired: refused before the upgrade
    await clock.advance(500);
    expect(log.freshCalls).toBe(1);
    expect(sockets).toHaveLength(3);
    expect(last().url).toBe('ws://h/scorestream?token=NEW&since=3');
  });

  it('logs out when /api/me answers 401', async () => {
    const { conn, log, last, sockets, clock } = setup(async () => ({ kind: 'unauthorized' }));
    conn.start();
    last().drop(1006);
    await clock.advance(1000);
    expect(log.loggedOut).toBe(1);
    expect(log.statuses.at(-1)).toBe('offline');
    await clock.advance(120_000);
    expect(sockets).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('a 4001 close (session ended: logout elsewhere, ban) asks /api/me at once and logs out', async () => {
    const { conn, log, last, sockets } = setup(async () => ({ kind: 'unauthorized' }));
    conn.start();
    last().open();
    last().message(snapshot(3));
    last().drop(4001);
    // no time passes on the fake clock: only the pending /api/me answer settles
    await new Promise((r) => setTimeout(r, 0));
    expect(log.freshCalls).toBe(1);
    expect(log.loggedOut).toBe(1);
    expect(sockets).toHaveLength(1);
  });

  it('keeps backing off while the server is unreachable, growing the delay up to the cap', async () => {
    const { conn, log, last, sockets, clock } = setup(async () => ({ kind: 'error' }));
    conn.start();
    last().drop(1006);
    // With random 0.5 the delays are 250, 500, 1000, ... ms; /api/me keeps failing meanwhile.
    await clock.advance(250 + 500 + 1000 + 2000);
    expect(log.freshCalls).toBe(4);
    expect(sockets).toHaveLength(1);
    expect(log.statuses.at(-1)).toBe('offline');
  });

  it('the reset message logs out and never reconnects', async () => {
    const { conn, log, last, sockets, clock } = setup();
    conn.start();
    last().open();
    last().message(snapshot(1));
    last().message({ type: 'system', event: 'reset', logout: true, ts: 1 });
    expect(log.resets).toBe(1);
    expect(last().closedWith).toBe(1000);
    last().drop(1000);
    await clock.advance(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('sends "ping" every 25 s while open, and stops after close', async () => {
    const { conn, last, clock } = setup();
    conn.start();
    last().open();
    await clock.advance(25_000 * 3 + 1);
    expect(last().sent).toEqual(['ping', 'ping', 'ping']);
    conn.stop();
    await clock.advance(100_000);
    expect(last().sent).toHaveLength(3);
  });

  it('stop() cancels a pending reconnect', async () => {
    const { conn, last, sockets, clock } = setup();
    conn.start();
    last().open();
    last().drop();
    conn.stop();
    await clock.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('nudge() skips the remaining backoff wait', async () => {
    const { conn, last, sockets, clock } = setup();
    conn.start();
    last().open();
    for (let i = 0; i < 6; i++) {
      last().drop();
      await clock.advance(60_000);
    }
    const before = sockets.length;
    last().drop();
    conn.nudge();
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the /api/me promise settle
    expect(sockets.length).toBe(before + 1);
  });

  it('delivers clock, reload and announcement messages, and reports every open', async () => {
    const { conn, log, last, clock } = setup();
    conn.start();
    last().open();
    last().message(snapshot(1));
    const body: EventResponse = { title: 'T', state: 'paused', start: 1, end: 9, freeze: null, frozen: false, paused: true, now: 5 };
    last().message({ type: 'system', event: 'clock', ...body });
    last().message({ type: 'system', event: 'reload', ts: 1 });
    last().message({ type: 'announcement', id: 4, ts: 7, text: '**fixed**' });
    last().message({ type: 'announcement', id: 4, deleted: true });
    expect(log.clocks).toEqual([body]);
    expect(log.reloads).toBe(1);
    expect(log.announcements).toEqual([
      { type: 'announcement', id: 4, ts: 7, text: '**fixed**' },
      { type: 'announcement', id: 4, deleted: true },
    ]);
    expect(log.opens).toBe(1);
    last().drop(1001);
    await clock.advance(250);
    last().open();
    expect(log.opens).toBe(2); // the app refetches announcements on every reconnect
  });

  it('ignores garbage messages', () => {
    const { conn, log, last } = setup();
    conn.start();
    last().open();
    last().message('not json');
    last().message({ type: 'mystery' });
    last().message(42);
    expect(log.snapshots).toHaveLength(0);
    expect(log.events).toHaveLength(0);
  });
});

describe('parseServerMessage', () => {
  it('recognises the three message kinds', () => {
    expect(parseServerMessage(JSON.stringify(snapshot(1)))?.kind).toBe('snapshot');
    expect(parseServerMessage('[]')).toEqual({ kind: 'events', events: [] });
    expect(parseServerMessage('{"type":"system","event":"reset","logout":true,"ts":1}')?.kind).toBe('reset');
  });
  it('ignores malformed clock and announcement messages', () => {
    expect(parseServerMessage('{"type":"system","event":"clock","state":"soon","now":1}')).toBeNull();
    expect(parseServerMessage('{"type":"system","event":"clock","state":"before","start":"x","end":null,"freeze":null,"now":1}')).toBeNull();
    expect(parseServerMessage('{"type":"announcement","id":"1","ts":1,"text":"x"}')).toBeNull();
    expect(parseServerMessage('{"type":"announcement","id":1,"ts":1}')).toBeNull();
    expect(parseServerMessage('{"type":"system","event":"mystery"}')).toBeNull();
  });
  it('keeps the blood mark of a score event', () => {
    const parsed = parseServerMessage(JSON.stringify([{ ...event(1), blood: 1 }]));
    expect(parsed).toEqual({ kind: 'events', events: [{ ...event(1), blood: 1 }] });
  });
  it('drops malformed events from an array', () => {
    const parsed = parseServerMessage(JSON.stringify([event(1), { id: 'x' }, null]));
    expect(parsed).toEqual({ kind: 'events', events: [event(1)] });
  });
});
