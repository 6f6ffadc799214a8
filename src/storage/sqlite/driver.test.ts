import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import Database, { CURRENT_PACKAGE, NODE20_PACKAGE, driverPackage, loadDriver } from './driver.js';

const require = createRequire(import.meta.url);
const nodeApi = Number(process.versions.napi);

// Statements and databases left to the garbage collector, then a plain exit:
// what better-sqlite3 12 aborts on under Node 24 and 13 crashes on under Node 20.
const WORKLOAD = `
const Database = require(process.argv[1]);
const fs = require('node:fs'), os = require('node:os'), path = require('node:path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctfg-driver-'));
for (let i = 0; i < 200; i++) {
  const db = new Database(path.join(dir, 'd' + (i % 5) + '.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS t (a INTEGER, b TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  db.transaction(() => { for (let j = 0; j < 20; j++) insert.run(j, 'x' + j); })();
  db.prepare('SELECT count(*) AS n FROM t').get();
  for (const row of db.prepare('SELECT * FROM t LIMIT 5').iterate()) void row;
  if (i % 2) db.close();
}
console.log('ok ' + new Database(':memory:').prepare('SELECT sqlite_version() AS v').get().v);
fs.rmSync(dir, { recursive: true, force: true });
`;

describe('SQLite driver choice', () => {
  it('takes better-sqlite3 13 from Node-API 10 on and 12 below it', () => {
    expect(driverPackage(9)).toBe(NODE20_PACKAGE);
    expect(driverPackage(10)).toBe(CURRENT_PACKAGE);
    expect(driverPackage(11)).toBe(CURRENT_PACKAGE);
    const major = Number((require(`${driverPackage(nodeApi)}/package.json`) as { version: string }).version.split('.')[0]);
    expect(major).toBe(nodeApi >= 10 ? 13 : 12);
  });

  it('loads the chosen release', () => {
    expect(Database).toBe(require(driverPackage(nodeApi)));
    const db = new Database(':memory:');
    expect(db.prepare('SELECT 40 + 2 AS n').get()).toEqual({ n: 42 });
    db.close();
  });

  it('says what to do when the driver cannot be loaded', () => {
    expect(() => loadDriver('better-sqlite3-missing')).toThrow(/^SQLite driver better-sqlite3-missing for Node v\d+\.\d+\.\d+ could not be loaded \(Cannot find module 'better-sqlite3-missing'.*\); run npm ci \(or npm rebuild\) with this Node$/);
  });

  it(`survives finalised statements and exit on Node ${process.version}`, () => {
    const run = spawnSync(process.execPath, ['-e', WORKLOAD, require.resolve(driverPackage(nodeApi))], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, signal: run.signal, stderr: run.stderr.slice(0, 300) }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(run.stdout).toMatch(/^ok 3\.\d+/);
  }, 90_000); // a child Node doing 200 opens: slow on a loaded machine, and no timing target
});
