import { execSync } from 'node:child_process';
import { it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { writeGame } from '../helpers/game.js';
import { startServer } from '../helpers/server.js';
import { rawRequest } from './helpers/raw-http.js';
it('x', async () => {
  const hash = await hashPassword('pw');
  const rows = Array.from({ length: 200 }, (_, i) => `slow${i + 1},"${hash}"`);
  const s = await startServer({ gameDir: writeGame({ credentials: rows.join('\n') + '\n' }) });
  const t0 = Date.now();
  let done = 0;
  const logins = Array.from({ length: 200 }, (_, i) => rawRequest(s.port, { method: 'POST', path: '/api/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `slow${i + 1}`, password: 'pw' }) }, 60000).then(() => done++));
  for (let i = 0; i < 12; i++) {
    await new Promise((r) => setTimeout(r, 250));
    console.log(Date.now() - t0, done, execSync(`ss -ltnH 'sport = :${s.port}'`).toString().trim());
  }
  await Promise.all(logins);
  await s.stop();
}, 120000);
