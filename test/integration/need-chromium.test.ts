import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/server.js';

const CHECK = path.join(REPO_ROOT, 'test', 'e2e', 'need-chromium.mjs');

function check(chromium: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CHECK], { env: { PATH: process.env.PATH ?? '', CTFG_CHROMIUM: chromium }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('npm test without Chromium', () => {
  it('stops first with one line that says how to get it', () => {
    const r = check('/nonexistent/chromium');
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('apt-get install chromium');
    expect(r.stderr).toContain('/nonexistent/chromium');
  });

  it('says nothing when Chromium is there', () => {
    expect(check(process.execPath)).toEqual({ status: 0, stderr: '' });
  });
});
