import { it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { rawRequest } from './helpers/raw-http.js';
it('x', async () => {
  const s = await startServer({});
  const t0 = Date.now();
  s.process.kill('SIGTERM');
  const res: string[] = [];
  for (let i = 0; i < 30; i++) {
    const a = Date.now() - t0;
    res.push(await rawRequest(s.port, { path: '/healthz' }).then((r) => `${a}:${r.status}`, (e: NodeJS.ErrnoException) => `${a}:${e.code}`));
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(res.join(' '));
  console.log(s.output().split('\n').filter((l) => !l.includes('"request"')).join('\n'), t0);
}, 120000);
