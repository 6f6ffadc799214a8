import type { StandingRow } from '../../protocol/messages.js';
import type { ScoreboardPageResponse } from '../../protocol/api.js';
import { EncodedBody } from './encoded-body.js';

/** Distinct pages kept per board version; past it the pages start over (the whole board is kept apart). */
const MAX_PAGES = 256;

/**
 * The scoreboard's encoded answers for one version of the board: the whole
 * board and the pages asked for, each serialized and compressed once. A new
 * rows array from the state is a new version and starts a new cache.
 */
export class BoardCache {
  private rows: readonly StandingRow[] | null = null;
  private full: EncodedBody | null = null;
  private readonly pages = new Map<string, EncodedBody>();

  /** Drops what was encoded for an older version of the board. */
  private sync(rows: readonly StandingRow[]): void {
    if (this.rows === rows) return;
    this.rows = rows;
    this.full = null;
    this.pages.clear();
  }

  /** The whole board; `raw` is the state's own cached bytes for these rows. */
  whole(rows: readonly StandingRow[], raw: () => Buffer, now: number): EncodedBody {
    this.sync(rows);
    this.full ??= new EncodedBody(raw(), now);
    return this.full;
  }

  /** Rows `offset` … `offset + limit − 1`, with the board's total. */
  page(rows: readonly StandingRow[], offset: number, limit: number, now: number): EncodedBody {
    this.sync(rows);
    const key = `${offset}:${limit}`;
    let body = this.pages.get(key);
    if (!body) {
      const answer: ScoreboardPageResponse = { standings: rows.slice(offset, offset + limit), total: rows.length, offset };
      body = new EncodedBody(Buffer.from(JSON.stringify(answer)), now);
      if (this.pages.size >= MAX_PAGES) this.pages.clear();
      this.pages.set(key, body);
    }
    return body;
  }
}
