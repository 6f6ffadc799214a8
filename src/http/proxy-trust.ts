import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * Which proxies are trusted to say who the client is (X-Forwarded-For,
 * -Proto, -Host). false: nobody, the socket address is the client. A number:
 * that many proxies in front (the client is that many entries from the right
 * end of X-Forwarded-For; what a client writes to the left is ignored). A
 * list: the addresses/CIDRs (or `loopback`, `linklocal`, `uniquelocal`) of
 * the proxies; the client is the rightmost address not in the list.
 */
export type TrustProxy = false | number | readonly string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
  return n >= 0 && n <= (family === 4 ? 32 : 128);
}

/**
 * Reads CTFG_TRUST_PROXY: empty/`false`/`0` = off, `true` = one hop (as
 * before), a whole number = that many hops, or a comma list of proxy
 * addresses/CIDRs. Throws with a clear message on anything else.
 */
export function parseTrustProxy(raw: string | null | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return 1;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isAddressOrRange(e));
  if (bad.length > 0) {
    throw new Error(
      `CTFG_TRUST_PROXY="${raw}" is not valid: write false, true (one proxy), a number of proxies, ` +
        `or a comma list of proxy addresses/CIDRs (not understood: ${bad.join(', ')})`,
    );
  }
  return entries;
}

/** The trust function fastify and the scorestream both use: one meaning of "the client" everywhere. */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

/** The client's address of a raw request (the scorestream's upgrade), as fastify's request.ip would say. */
export function clientAddressOf(trust: TrustProxy): (req: IncomingMessage) => string {
  const fn = trustFunction(trust);
  return (req) => proxyAddr(req, fn);
}
