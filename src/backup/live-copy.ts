import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { BackupError } from './format.js';

/**
 * `ctfg export` while the server runs on SQLite. The server locks its file
 * exclusively (no other process can make its writes wait), so nobody else can
 * even read it. Instead the exporter asks the server, over a Unix socket
 * beside the database, for a consistent copy (SQLite's online backup API);
 * it exports from the copy and deletes it. The socket is the owner's alone (0600).
 */

const COPY_PREFIX = '.ctfg-export-';
const REQUEST = 'copy\n';
/** Unix socket paths are limited to about 104 bytes. */
const MAX_SOCKET_PATH = 100;

export function liveCopySocketPath(dbFile: string): string {
  const beside = `${dbFile}.export.sock`;
  if (Buffer.byteLength(beside) < MAX_SOCKET_PATH) return beside;
  const id = createHash('sha256').update(path.resolve(dbFile)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `ctfg-export-${id}.sock`);
}

export interface CopySource {
  /** the database file */
  readonly file: string;
  copyTo(file: string): Promise<void>;
}

/** Serves copies of the running server's database; the returned function stops serving. */
export async function serveLiveCopies(store: CopySource, logger: Logger): Promise<() => Promise<void>> {
  const socketPath = liveCopySocketPath(store.file);
  const dir = path.dirname(store.file);
  // Left by a killed server or exporter: this process holds the database lock, so nobody else uses them.
  fs.rmSync(socketPath, { force: true });
  for (const f of fs.readdirSync(dir)) if (f.startsWith(COPY_PREFIX)) fs.rmSync(path.join(dir, f), { force: true });
  const server = net.createServer((socket) => answer(socket, store, dir, logger));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    fs.chmodSync(socketPath, 0o600);
  } catch (err) {
    // The game runs without it; only exporting it while it runs is not possible.
    logger.warn({ err, socket: socketPath }, 'no export socket: ctfg export needs the server stopped');
    server.close();
    return async () => undefined;
  }
  server.on('error', (err) => logger.error({ err }, 'the export socket failed'));
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(socketPath, { force: true });
  };
}

function answer(socket: net.Socket, store: CopySource, dir: string, logger: Logger): void {
  let request = '';
  socket.setTimeout(10_000, () => socket.destroy());
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    request += chunk.toString('utf8');
    if (!request.includes('\n')) {
      if (request.length > 64) socket.destroy();
      return;
    }
    if (request !== REQUEST) return void socket.destroy();
    socket.setTimeout(0);
    const file = path.join(dir, `${COPY_PREFIX}${randomBytes(8).toString('hex')}.db`);
    store.copyTo(file).then(
      () => socket.end(`${JSON.stringify({ file })}\n`),
      (err: unknown) => {
        logger.error({ err }, 'a copy for ctfg export failed');
        fs.rmSync(file, { force: true });
        socket.end(`${JSON.stringify({ error: 'the server could not copy its database' })}\n`);
      },
    );
  });
}

/** Asks the server that holds `dbFile` for a consistent copy; answers the copy's path (the caller deletes it). */
export async function requestLiveCopy(dbFile: string, timeoutMs = 10 * 60_000): Promise<string> {
  const socketPath = liveCopySocketPath(dbFile);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error('no answer in time')), timeoutMs);
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.on('close', () => clearTimeout(timer));
  }).catch((err: unknown) => {
    throw new BackupError(
      `database ${dbFile} is locked by another process and no ctfg server answers export requests for it (${err instanceof Error ? err.message : String(err)})`,
    );
  });
  let answer: { file?: unknown; error?: unknown };
  try {
    answer = JSON.parse(reply) as typeof answer;
  } catch {
    throw new BackupError('the running server gave no copy of its database');
  }
  if (typeof answer.file !== 'string' || path.dirname(answer.file) !== path.dirname(dbFile)) {
    throw new BackupError(`the running server could not copy its database: ${String(answer.error ?? 'no file')}`);
  }
  return answer.file;
}

/** Removes a copy and the files SQLite keeps beside it. */
export function removeCopy(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}
