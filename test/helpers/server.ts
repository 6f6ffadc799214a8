import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCtfg, startCtfgProcess } from '../../tools/launch/ctfg-process.js';
import { backendArgs } from './backend.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The repository's own game in the earlier engine's format (15 challenges, 500
 * players, clusters, banner): every suite but `npm run test:compat` plays it.
 */
export const FIXTURE_GAME = path.join(REPO_ROOT, 'test', 'fixtures', 'game');

export interface TestServerOptions {
  /** game folder; default: FIXTURE_GAME */
  readonly gameDir?: string;
  /** database folder; default: a fresh temp folder */
  readonly dbDir?: string;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  /** fixed port (e.g. to restart on the same one); default: ephemeral */
  readonly port?: number;
  /** default: CTFG_TEST_BACKEND (sqlite unless set to postgres) */
  readonly backend?: 'sqlite' | 'postgres';
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly dbDir: string;
  readonly process: ChildProcess;
  /** every line the server wrote to stdout and stderr so far */
  output(): string;
  /** SIGTERM and wait for exit; resolves to the exit code */
  stop(): Promise<number | null>;
  /** kill -9 and wait for exit */
  kill(): Promise<void>;
}

export const TEST_TOKENS = { api: 'test-api-token-0123456789', admin: 'test-admin-token-0123456789' } as const;

export function tempDir(prefix = 'ctfg-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the real ctfg CLI (from source, through tsx) as a child process on
 * loopback, and resolves once it logs the address it listens on.
 */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dbDir = options.dbDir ?? tempDir('ctfg-db-');
  const backend = await backendArgs(dbDir, options.backend);
  const server = await startCtfgProcess({
    gameDir: options.gameDir ?? FIXTURE_GAME,
    dbDir,
    port: options.port ?? 0,
    args: [...backend.args, ...(options.args ?? [])],
    env: { CTFG_API_TOKEN: TEST_TOKENS.api, CTFG_ADMIN_TOKEN: TEST_TOKENS.admin, CTFG_LOG_LEVEL: 'info', ...backend.env, ...options.env },
  });
  return {
    url: server.url,
    port: server.port,
    dbDir,
    process: server.child,
    output: server.output,
    stop: async () => server.stop(),
    kill: server.kill,
  };
}

/** Runs the CLI to completion (for validate, init, bad-start cases). */
export const runCli = runCtfg;
