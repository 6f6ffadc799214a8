import fs from 'node:fs';
import { it } from 'vitest';
import { Client, Stream } from '../helpers/client.js';
import { TEST_TOKENS, startServer } from '../helpers/server.js';
import { heavyEventGame } from './helpers/games.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { rssBytes } from './helpers/proc.js';
import { RawWebSocket, streamPath } from './helpers/raw-ws.js';
it('x', async () => {
  const s = await startServer({ gameDir: heavyEventGame(16_000), env: { CTFG_RATE_AWARD: '1000000,0.001' } });
  const c = new Client(s.url);
  await c.login('player1', 'password1');
  const slow = await RawWebSocket.open(s.port, streamPath(c.websocketUrl as string));
  await new Promise((r) => setTimeout(r, 200));
  slow.pause();
  const healthy = await Stream.open(c.websocketUrl as string);
  const rss0 = rssBytes(s.process.pid as number);
  let awards = 0;
  const t0 = Date.now();
  outer: for (let p = 1; p <= 500; p++) {
    for (const id of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) {
      const r = await fetch(`${s.url}/api/award`, { method: 'POST', headers: { authorization: TEST_TOKENS.api, 'content-type': 'application/json' }, body: JSON.stringify({ username: `player${p}`, id }) });
      if (r.status !== 200) throw new Error(String(r.status));
      awards++;
      if (awards % 50 === 0) {
        const m = await scrape(s.url);
        if (metricValue(m, 'ctfg_socket_drops_total', 'reason="slow"') > 0) break outer;
      }
    }
  }
  console.log('awards', awards, 'ms', Date.now() - t0, 'rss', rss0 / 1e6, rssBytes(s.process.pid as number) / 1e6, 'slowbytes before resume', slow.bytes);
  const tcp = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').filter((l) => l.includes(':' + s.port.toString(16).toUpperCase().padStart(4, '0')));
  console.log(tcp.slice(0, 8).join('\n'));
  slow.resume();
  console.log('closed', await slow.waitClosed(10000), 'bytes', slow.bytes, 'healthy events', healthy.events().length);
  await s.stop();
}, 120000);
