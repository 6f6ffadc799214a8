import net from 'node:net';

export interface Proxy {
  readonly url: string;
  /** connections handed to each backend so far */
  readonly counts: number[];
  close(): Promise<void>;
}

/** A round-robin TCP load balancer on loopback: each new connection goes to the next backend. */
export async function roundRobinProxy(ports: readonly number[]): Promise<Proxy> {
  const counts = ports.map(() => 0);
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const i = next++ % ports.length;
    counts[i]!++;
    const upstream = net.connect(ports[i]!, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
