/** The content codings the board is served in; the client's Accept-Encoding picks one. */
export type Coding = 'br' | 'gzip' | 'identity';

/** Parses `br;q=1.0, gzip;q=0.8, *;q=0` into coding → quality (RFC 9110 §12.5.3). */
function qualities(header: string): Map<string, number> {
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let quality = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p);
      if (m) quality = Number(m[1]);
    }
    q.set(name.trim(), quality);
  }
  return q;
}

/** Browsers send a handful of distinct headers: each is parsed once (bounded, so odd headers cannot grow it). */
const picked = new Map<string, Coding>();

/** br when the client accepts it at least as well as gzip, then gzip, else identity. */
export function pickCoding(header: string | undefined): Coding {
  if (!header) return 'identity';
  let coding = picked.get(header);
  if (coding === undefined) {
    coding = choose(header);
    if (picked.size >= 64) picked.clear();
    picked.set(header, coding);
  }
  return coding;
}

function choose(header: string): Coding {
  const q = qualities(header);
  const wildcard = q.get('*') ?? 0;
  const br = q.get('br') ?? wildcard;
  const gzip = q.get('gzip') ?? q.get('x-gzip') ?? wildcard;
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}
