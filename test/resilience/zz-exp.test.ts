import fs from 'node:fs';
import { it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { writeGame } from '../helpers/game.js';
import { startServer } from '../helpers/server.js';
import { rawRequest } from './helpers/raw-http.js';
function threads(pid: number): string {
  return fs.readdirSync(`/proc/${pid}/task`).map((t) => { const st = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'); const name = /\((.*)\)/.exec(st)?.[1]; const f = st.slice(st.lastIndexOf(')') + 2).split(' '); return `${name}:${Number(f[11]) + Number(f[12])}`; }).join(' ');
}
it('x', async () => {
  const hash = await hashPassword('pw');
  const rows = Array.from({ length: 200 }, (_, i) => `slow${i + 1},"${hash}"`);
  const s = await startServer({ gameDir: writeGame({ credentials: rows.join('\n') + '\n' }) });
  const pid = s.process.pid as number;
  const t0 = Date.now();
  let done = 0;
  console.log(threads(pid));
  const logins = Array.from({ length: 200 }, (_, i) => rawRequest(s.port, { method: 'POST', path: '/api/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `slow${i + 1}`, password: 'pw' }) }, 60000).then(() => done++));
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 500));
    console.log(Date.now() - t0, done, threads(pid));
  }
  await Promise.all(logins);
  await s.stop();
}, 120000);
