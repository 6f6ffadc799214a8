/**
 * The benchmark floor: a minimal Fastify server doing only the essential work
 * of the route it stands in for, run as its own process under the same
 * conditions as ctfg. Throughput figures are reported as ctfg ÷ floor, which
 * cancels out how fast (or busy) the machine is.
 *
 *   --mode submit  POST /api/submit: parse the JSON body, one prepared INSERT
 *                  (ctfg's own statement) into an events table with ctfg's
 *                  indexes and pragmas (WAL, synchronous=NORMAL,
 *                  locking_mode=EXCLUSIVE), answer a small JSON object.
 *   --mode read    GET /api/scoreboard: a constant JSON body of --body-bytes.
 *   --mode fanout  WebSocket upgrades on any path, each sent a tiny snapshot;
 *                  POST /round?bytes=N frames one message of about N bytes
 *                  once and writes it to every socket in one loop, like
 *                  ctfg's hub, and answers how long that took.
 *
 * Logs `{"port":N,"msg":"floor is serving"}` when listening, like ctfg.
 */
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import Database from '../../src/storage/sqlite/driver.js';
import { Command } from 'commander';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { textFrame } from '../../src/live/text-frame.js';

interface FloorFlags {
  mode: 'submit' | 'read' | 'fanout';
  port: string;
  host: string;
  db?: string;
  bodyBytes: string;
}

/** A standings-like JSON document of about `bytes` bytes. */
function constantBody(bytes: number): string {
  const rows: string[] = [];
  let size = '{"standings":[]}'.length;
  for (let i = 1; size < bytes; i++) {
    const row = JSON.stringify({ pos: i, displayname: `Bench Player ${i}`, score: 100_000 - i, solves: 25, last_ts: 1_764_196_800_000 + i });
    rows.push(row);
    size += row.length + 1;
  }
  return `{"standings":[${rows.join(',')}]}`;
}

/** The fan-out floor: a socket costs one write of a message framed once, and nothing else. */
function serveFanOut(app: FastifyInstance): void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set<Duplex>();
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send('{"type":"snapshot","last_id":0}');
      sockets.add(socket);
      ws.on('close', () => sockets.delete(socket));
    });
  });
  app.post('/round', async (req) => {
    const bytes = Math.max(100, Number((req.query as { bytes?: string }).bytes) || 1000);
    const frame = textFrame(`[${JSON.stringify({ id: 0, displayname: 'floor', challenge_id: 0, pad: 'x'.repeat(bytes - 60) })}]`);
    const began = performance.now();
    for (const socket of sockets) socket.write(frame);
    return { ms: performance.now() - began, sockets: sockets.size };
  });
}

async function main(): Promise<void> {
  const flags = new Command('floor-server')
    .option('--mode <mode>', 'submit | read | fanout', 'read')
    .option('--port <port>', 'port', '0')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--db <dir>', 'database folder (submit mode)')
    .option('--body-bytes <n>', 'response size (read mode)', '1000')
    .parse(process.argv)
    .opts<FloorFlags>();

  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  let db: BetterSqlite3.Database | null = null;

  if (flags.mode === 'submit') {
    if (!flags.db) throw new Error('--db is required in submit mode');
    db = new Database(path.join(flags.db, 'floor.db'));
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // ctfg's events table and indexes (no users table, so no foreign key).
    db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, challenge_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('score', 'hint')), hint_id INTEGER, points INTEGER NOT NULL,
        ts INTEGER NOT NULL, reload INTEGER NOT NULL DEFAULT 0, CHECK ((kind = 'score') = (hint_id IS NULL)));
      CREATE UNIQUE INDEX IF NOT EXISTS events_one_solve ON events(user_id, challenge_id) WHERE kind = 'score';
      CREATE UNIQUE INDEX IF NOT EXISTS events_one_hint ON events(user_id, challenge_id, hint_id) WHERE kind = 'hint';
      CREATE INDEX IF NOT EXISTS events_by_user ON events(user_id);`);
    // ctfg's statement, so the index pages touched per insert match too.
    const insert = db.prepare(
      "INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload) VALUES (?, ?, 'score', NULL, ?, ?, 0) RETURNING *",
    );
    // The bench's fake session cookies end in the player's index: the same
    // (user, challenge) pairs as ctfg gets, so the unique index never refuses one.
    let anonymous = 1_000_000;
    app.post('/api/submit', async (req) => {
      const body = req.body as { id?: unknown } | undefined;
      const id = typeof body?.id === 'number' ? body.id : 0;
      const player = /(\d+)\s*$/.exec(req.headers.cookie ?? '');
      const userId = player ? Number(player[1]) + 1 : anonymous++;
      const row = insert.get(userId, id, 100, Date.now()) as { points: number };
      return { result: 'correct', points: row.points, total: row.points };
    });
  } else if (flags.mode === 'fanout') {
    serveFanOut(app);
  } else {
    // Encoded once: the floor does no per-request work beyond sending the bytes.
    const body = Buffer.from(constantBody(Number(flags.bodyBytes)));
    app.get('/api/scoreboard', async (_req, reply) => reply.type('application/json; charset=utf-8').send(body));
  }

  await app.listen({ port: Number(flags.port), host: flags.host, backlog: 4096 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : Number(flags.port);
  process.stdout.write(`${JSON.stringify({ port, msg: `floor (${flags.mode}) is serving` })}\n`);

  const shutdown = (): void => {
    app.close().then(
      () => {
        db?.close();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`floor-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
