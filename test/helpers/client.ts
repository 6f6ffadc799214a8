import WebSocket from 'ws';

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A minimal browser-like API client: keeps the session cookie, speaks JSON. */
export class Client {
  cookie: string | null = null;
  websocketUrl: string | null = null;

  constructor(readonly base: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0] as string;
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(username: string, password: string): Promise<Reply> {
    const r = await this.request('POST', '/api/login', { username, password });
    if (r.status === 200) this.websocketUrl = String(r.body.websocket_url);
    return r;
  }

  /** Logs in and sets a display name; fails loudly when either step fails. */
  async enter(username: string, password: string, name: string): Promise<void> {
    const l = await this.login(username, password);
    if (l.status !== 200) throw new Error(`login ${username}: ${l.status} ${JSON.stringify(l.body)}`);
    const n = await this.request('POST', '/api/set-name', { name });
    if (n.status !== 200) throw new Error(`set-name ${name}: ${n.status} ${JSON.stringify(n.body)}`);
  }

  submit(id: number, flag: string): Promise<Reply> {
    return this.request('POST', '/api/submit', { id, flag });
  }

  hint(id: number, hintId: number): Promise<Reply> {
    return this.request('POST', '/api/hint', { id, hint_id: hintId });
  }
}

export type Message = Record<string, unknown> | Array<Record<string, unknown>>;

/** A scorestream connection that records every message it receives. */
export class Stream {
  readonly messages: Message[] = [];
  private waiters: Array<() => void> = [];
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string): Promise<Stream> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const stream = new Stream(ws);
      ws.once('open', () => resolve(stream));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Resolves when a message satisfies `pred` (checked over all received so far). */
  async waitFor(pred: (m: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitClose(timeoutMs = 5000): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.ws.once('close', (code) => {
        clearTimeout(t);
        resolve(code);
      });
    });
  }

  /** Every live event received, flattened, in arrival order. */
  events(): Array<Record<string, unknown>> {
    return this.messages.filter((m): m is Array<Record<string, unknown>> => Array.isArray(m)).flat();
  }

  close(): void {
    this.ws.close();
  }
}

/** Expects the upgrade to be refused; resolves to the HTTP status. */
export function refusedUpgrade(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('upgrade unexpectedly accepted'));
    });
    ws.once('error', () => undefined);
  });
}
