/**
 * Team mode in real Chromium (SPEC §9): two members of a team in two browsers — a solve by one
 * shows as solved for the other within 2 s; a dynamic challenge's value drops on every open board
 * when another team solves it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { FIXTURE_GAME, startServer, tempDir, type TestServer } from '../helpers/server.js';
import { browserSuite, enterGame, openChallenge, submitFlag, tableRows, waitLive } from './support.js';

const suite = browserSuite();
const { servers } = suite;

/** The fixture's challenges (1 decays 100 → 70 → 40), two teams of two. */
function teamGame(): string {
  const dir = tempDir('ctfg-team-game-');
  fs.cpSync(FIXTURE_GAME, dir, { recursive: true });
  const file = path.join(dir, 'challenges.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
  (list.find((c) => c.id === 1) as Record<string, unknown>).decay = { function: 'linear', minimum: 40, decay: 30 };
  fs.writeFileSync(file, JSON.stringify(list));
  const rows = ['player1,password1,Red Team', 'player2,password2,Red Team', 'player3,password3,Blue Team', 'player4,password4,Blue Team'];
  fs.writeFileSync(path.join(dir, 'credentials.csv'), `username,password,team\n${rows.join('\n')}\n`);
  return dir;
}

describe('team mode, two members in two browsers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ gameDir: teamGame() });
    servers.push(server);
  });

  it('a solve by one member shows solved for the other within 2 s; another team’s solve lowers the value on both boards', async () => {
    const [one, two] = await Promise.all([suite.page(server.url), suite.page(server.url)]);
    await enterGame(one, server.url, 'player1', 'Red One');
    await enterGame(two, server.url, 'player2', 'Red Two');
    await waitLive(two);
    const card = two.locator('[data-testid=challenge-card][data-id="1"]');
    expect(await card.getAttribute('data-solved')).toBe('false');

    await openChallenge(one, 1);
    const t0 = Date.now();
    expect(await submitFlag(one, '26')).toBe('correct');
    await expect.poll(() => card.getAttribute('data-solved'), { timeout: 2000 }).toBe('true');
    expect(Date.now() - t0).toBeLessThan(2000);

    for (const page of [one, two]) {
      await page.getByRole('link', { name: 'Scoreboard' }).click();
      await waitLive(page);
      await expect.poll(() => tableRows(page)).toEqual([['Red Team', 100]]);
    }
    expect(await two.locator('[data-testid=standing-row][data-name="Red Team"]').getAttribute('class')).toContain('me');
    expect(await two.getByTestId('row-members').first().textContent()).toBe('Red One, Red Two');

    const blue = new Client(server.url);
    await blue.enter('player3', 'password3', 'Blue One');
    const t1 = Date.now();
    expect((await blue.submit(1, '26')).body).toMatchObject({ result: 'correct', points: 70 });
    for (const page of [one, two]) {
      await expect.poll(() => tableRows(page), { timeout: Math.max(500, 2000 - (Date.now() - t1)) }).toEqual([
        ['Red Team', 70],
        ['Blue Team', 70],
      ]);
    }
  });
});
