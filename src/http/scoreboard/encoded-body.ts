import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Coding } from './encoding.js';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Below this a compressed body saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 1024;
/**
 * A body still current after this long, and already served compressed this
 * often, is compressed again at the densest settings (brotli 11 takes ~0.4 s
 * for a 2,000-row board on a worker thread): a settled board (a quiet minute,
 * the freeze, the end) is what crowds reload, and it then costs a third fewer
 * bytes. A board changing every second never pays for it.
 */
const DENSE_AFTER_MS = 2000;
const DENSE_AFTER_HITS = 16;
/** Smaller bodies (pages) save a few hundred bytes at most: not worth brotli 11 for each of them. */
const DENSE_MIN_BYTES = 32 * 1024;

type Level = 'fast' | 'dense';

function compress(raw: Buffer, coding: Exclude<Coding, 'identity'>, level: Level): Promise<Buffer> {
  if (coding === 'gzip') return gzip(raw, { level: level === 'fast' ? 6 : 9 });
  const params = {
    [zlib.constants.BROTLI_PARAM_QUALITY]: level === 'fast' ? 5 : 11,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  };
  return brotli(raw, { params });
}

/**
 * One answer body and its compressed forms, each made once (on libuv's thread
 * pool, off the event loop) and shared by every request that wants it.
 */
export class EncodedBody {
  private readonly coded = new Map<Coding, Buffer | Promise<Buffer>>();
  private hits = 0;
  private densified = false;

  constructor(
    readonly raw: Buffer,
    private readonly born: number,
  ) {}

  /** Like get() when the bytes are already there, else null. */
  ready(coding: Coding, now: number): { readonly body: Buffer; readonly coding: Coding } | null {
    if (coding === 'identity' || this.raw.length < MIN_COMPRESS_BYTES) return { body: this.raw, coding: 'identity' };
    const entry = this.coded.get(coding);
    return entry instanceof Buffer ? this.served(entry, coding, now) : null;
  }

  /** The body in `coding`, or the raw body (identity) when that is smaller or compression failed. */
  async get(coding: Coding, now: number): Promise<{ readonly body: Buffer; readonly coding: Coding }> {
    if (coding === 'identity' || this.raw.length < MIN_COMPRESS_BYTES) return { body: this.raw, coding: 'identity' };
    let entry = this.coded.get(coding);
    if (!entry) {
      entry = this.start(coding, 'fast');
      this.coded.set(coding, entry);
    }
    return this.served(entry instanceof Buffer ? entry : await entry, coding, now);
  }

  private served(body: Buffer, coding: Coding, now: number): { readonly body: Buffer; readonly coding: Coding } {
    this.hits++;
    if (!this.densified && this.hits >= DENSE_AFTER_HITS && now - this.born >= DENSE_AFTER_MS && this.raw.length >= DENSE_MIN_BYTES) this.densify();
    return body.length < this.raw.length ? { body, coding } : { body: this.raw, coding: 'identity' };
  }

  private start(coding: Exclude<Coding, 'identity'>, level: Level): Promise<Buffer> {
    // A failed compression (out of memory) serves the raw body rather than an error.
    const done = compress(this.raw, coding, level).catch(() => this.raw);
    void done.then((b) => this.coded.set(coding, b));
    return done;
  }

  /** Recompresses the codings already asked for; requests keep the fast bytes until the dense ones are ready. */
  private densify(): void {
    this.densified = true;
    for (const coding of this.coded.keys()) {
      if (coding === 'identity') continue;
      // Until it is done, and should it fail, the fast bytes keep being served.
      compress(this.raw, coding, 'dense').then(
        (b) => this.coded.set(coding, b),
        () => undefined,
      );
    }
  }
}
