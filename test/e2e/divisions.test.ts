/**
 * The division switch in real Chromium (SPEC §9): one live board, filtered to a division with
 * ranks counted within it, and following live solves while filtered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { FIXTURE_GAME, startServer, tempDir, type TestServer } from '../helpers/server.js';
import { browserSuite, enterGame, tableRows, waitLive } from './support.js';

const suite = browserSuite();
const { servers } = suite;

const DIVISIONS: Record<string, string> = { player1: 'Student', player2: 'Open', player3: 'Student', player4: 'Open' };

function divisionGame(): string {
  const dir = tempDir('ctfg-div-game-');
  fs.cpSync(FIXTURE_GAME, dir, { recursive: true });
  const rows = Object.entries(DIVISIONS).map(([u, d]) => `${u},${u.replace('player', 'password')},${d}`);
  fs.writeFileSync(path.join(dir, 'credentials.csv'), `username,password,division\n${rows.join('\n')}\n`);
  return dir;
}

async function ranks(page: Parameters<typeof tableRows>[0]): Promise<string[]> {
  return page.locator('[data-testid=standing-row]').evaluateAll((rows) => rows.map((r) => `${r.querySelector('.rank-badge')?.textContent ?? ''} ${r.getAttribute('data-name') ?? ''}`));
}

describe('division switch', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ gameDir: divisionGame() });
    servers.push(server);
  });

  it('filters the board to one division, renumbers it, and follows live solves', async () => {
    const open = new Client(server.url);
    await open.enter('player2', 'password2', 'Open Ace');
    await open.submit(2, '32'); // 120: first overall
    const page = await suite.page(server.url);
    await enterGame(page, server.url, 'player1', 'Student One');
    const me = new Client(server.url);
    await me.login('player1', 'password1');
    await me.submit(1, '26'); // 100: second overall
    await page.getByRole('link', { name: 'Scoreboard' }).click();
    await waitLive(page);
    await expect.poll(() => ranks(page)).toEqual(['1 Open Ace', '2 Student One']);

    const sw = page.getByTestId('division-switch');
    await sw.getByRole('button', { name: 'Student' }).click();
    await expect.poll(() => ranks(page)).toEqual(['1 Student One']);
    expect(await sw.getByRole('button', { name: 'Student' }).getAttribute('aria-pressed')).toBe('true');

    // A Student solve arrives live and is ranked within the division.
    const other = new Client(server.url);
    await other.enter('player3', 'password3', 'Student Two');
    await other.submit(2, '32');
    await expect.poll(() => ranks(page), { timeout: 2000 }).toEqual(['1 Student Two', '2 Student One']);
    expect(await tableRows(page)).toEqual([
      ['Student Two', 120],
      ['Student One', 100],
    ]);
    await sw.getByRole('button', { name: 'All' }).click();
    await expect.poll(() => ranks(page)).toEqual(['1 Open Ace', '2 Student Two', '3 Student One']);
  });
});
