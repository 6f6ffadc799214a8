import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EncodedBody } from './encoded-body.js';

/** A board-like body: 2,000 rows with varying names, scores and times. */
function board(): Buffer {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ pos: i + 1, displayname: `Player ${(i * 7919) % 2000}`, score: 5000 - i * 2, solves: i % 11, last_ts: 1_764_400_000_000 + ((i * 104_729) % 10_800_000) }));
  return Buffer.from(JSON.stringify({ standings: rows }));
}

describe('EncodedBody', () => {
  it('serves the same bytes in every coding, and identity below 1 KiB', async () => {
    const raw = board();
    const body = new EncodedBody(raw, 0);
    const br = await body.get('br', 0);
    const gz = await body.get('gzip', 0);
    expect(br.coding).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).equals(raw)).toBe(true);
    expect(zlib.gunzipSync(gz.body).equals(raw)).toBe(true);
    expect(body.ready('br', 0)?.body).toBe(br.body); // compressed once, then shared
    expect((await new EncodedBody(Buffer.from('{"standings":[]}'), 0).get('br', 0)).coding).toBe('identity');
  });

  it('recompresses a settled, often-read body at the densest settings, keeping the fast bytes until then', async () => {
    const raw = board();
    const body = new EncodedBody(raw, 0);
    const fast = (await body.get('br', 0)).body;
    // Read often but young: nothing changes.
    for (let i = 0; i < 20; i++) expect((await body.get('br', 1000)).body).toBe(fast);
    // Two seconds old: the next read starts the dense pass and still gets the fast bytes.
    expect((await body.get('br', 2500)).body).toBe(fast);
    let dense = fast;
    for (let i = 0; i < 200 && dense === fast; i++) {
      await new Promise((r) => setTimeout(r, 25));
      dense = (await body.get('br', 3000)).body;
    }
    expect(dense.length).toBeLessThan(fast.length);
    expect(zlib.brotliDecompressSync(dense).equals(raw)).toBe(true);
  });
});
