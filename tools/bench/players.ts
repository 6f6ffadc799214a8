import { buildRequest, cookieFrom, spreadConnections, type RawConnection, type RawResponse, type RequestOptions } from './http-client.js';
import type { BenchChallenge, Credential } from './game.js';
import { mapLimit } from './load.js';

/** A logged-in player as the bench sees it. */
export interface Session {
  readonly username: string;
  /** `ctfg_session=…` for the Cookie header */
  readonly cookie: string;
  /** the scorestream URL with its (reusable) token */
  readonly wsUrl: string;
  /** the name the board shows: the display name once set, else the login name */
  displayname: string;
}

export class Api {
  readonly hostHeader: string;
  private readonly pool: RawConnection[];
  private next = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    poolSize = 16,
    /** several instances of one game: the pool spreads over them (sessions are shared); the first is `port` */
    ports: readonly number[] = [port],
  ) {
    this.hostHeader = `${host}:${port}`;
    this.pool = spreadConnections(host, ports, poolSize);
  }

  get size(): number {
    return this.pool.length;
  }

  /** One request on the next pooled connection (round robin). */
  send(bytes: Buffer, options: RequestOptions = {}): Promise<RawResponse> {
    const conn = this.pool[this.next++ % this.pool.length] as RawConnection;
    return conn.request(bytes, options);
  }

  close(): void {
    for (const c of this.pool) c.close();
  }

  async login(cred: Credential): Promise<Session> {
    const res = await this.send(buildRequest('POST', '/api/login', this.hostHeader, { json: { username: cred.username, password: cred.password } }));
    const cookie = cookieFrom(res.head, 'ctfg_session');
    if (res.status !== 200 || !cookie || !res.body) throw new Error(`login of ${cred.username} failed: HTTP ${res.status} ${res.body ?? ''}`);
    const body = JSON.parse(res.body) as { websocket_url?: unknown; displayname?: unknown };
    if (typeof body.websocket_url !== 'string') throw new Error(`login of ${cred.username}: no websocket_url in ${res.body}`);
    // The URL is derived from our Host header; pin it to the first instance (fan-out spreads sockets itself).
    const url = new URL(body.websocket_url);
    url.host = this.hostHeader;
    return {
      username: cred.username,
      cookie,
      wsUrl: url.toString(),
      displayname: typeof body.displayname === 'string' ? body.displayname : cred.username,
    };
  }

  loginAll(creds: readonly Credential[], concurrency = 32): Promise<Session[]> {
    return mapLimit(creds, concurrency, (c) => this.login(c));
  }

  async setName(s: Session, name: string): Promise<void> {
    const res = await this.send(buildRequest('POST', '/api/set-name', this.hostHeader, { cookie: s.cookie, json: { name } }));
    if (res.status !== 200) throw new Error(`set-name "${name}" for ${s.username} failed: HTTP ${res.status} ${res.body ?? ''}`);
    s.displayname = name;
  }

  async setNames(sessions: readonly Session[], nameOf: (index: number) => string, concurrency = 32): Promise<void> {
    await mapLimit(sessions, concurrency, (s, i) => this.setName(s, nameOf(i)));
  }

  /** Submits a challenge's testflag; resolves to the parsed answer. */
  async submit(s: Session, c: BenchChallenge): Promise<{ status: number; result: string | null }> {
    const res = await this.send(submitRequest(this.hostHeader, s, c));
    return { status: res.status, result: submitResult(res) };
  }

  async get(path: string, s: Session): Promise<RawResponse> {
    return this.send(buildRequest('GET', path, this.hostHeader, { cookie: s.cookie }), { keepBodyUpTo: 64 * 2 ** 20 });
  }
}

export function submitRequest(hostHeader: string, s: Session, c: BenchChallenge): Buffer {
  return buildRequest('POST', '/api/submit', hostHeader, { cookie: s.cookie, json: { id: c.id, flag: c.testflag } });
}

/** The `result` of a submit answer, or null when it is not one. */
export function submitResult(res: RawResponse): string | null {
  if (!res.body) return null;
  const m = /"result":"([a-z_]+)"/.exec(res.body);
  return m ? (m[1] as string) : null;
}

/** The check for a submit that must be a new solve. */
export function expectCorrect(res: RawResponse): string | null {
  if (res.status !== 200) return `HTTP ${res.status}${res.body ? ` ${res.body.slice(0, 40)}` : ''}`;
  const result = submitResult(res);
  return result === 'correct' ? null : `result ${String(result)}`;
}

/** The key the bench matches a live event by: who solved what. */
export function eventKey(displayname: string, challengeId: number): string {
  return `${displayname}|${challengeId}`;
}
