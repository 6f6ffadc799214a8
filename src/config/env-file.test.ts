import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEnvFile } from './env-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctfg-env-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readEnvFile', () => {
  it('returns the real environment when there is no .env', () => {
    expect(readEnvFile(dir, { A: '1', B: undefined })).toEqual({ A: '1' });
  });

  it('reads KEY=VALUE lines, with comments and quotes', async () => {
    await writeFile(join(dir, '.env'), '# tokens\nCTFG_API_TOKEN=abc\nCTFG_ADMIN_TOKEN="with spaces"\n');
    expect(readEnvFile(dir, {})).toEqual({ CTFG_API_TOKEN: 'abc', CTFG_ADMIN_TOKEN: 'with spaces' });
  });

  it('lets real environment variables win, even when set to ""', async () => {
    await writeFile(join(dir, '.env'), 'CTFG_API_TOKEN=from-file\nCTFG_ADMIN_TOKEN=file-admin\nCTFG_MASK_KEY=file-key\n');
    expect(readEnvFile(dir, { CTFG_API_TOKEN: 'from-env', CTFG_ADMIN_TOKEN: '', CTFG_MASK_KEY: undefined })).toEqual({
      CTFG_API_TOKEN: 'from-env',
      CTFG_ADMIN_TOKEN: '',
      CTFG_MASK_KEY: 'file-key',
    });
  });
});
