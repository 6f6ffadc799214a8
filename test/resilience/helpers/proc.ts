import fs from 'node:fs';

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS). */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

export interface TcpSocketState {
  readonly localPort: number;
  readonly remotePort: number;
  /** '0A' listen, '01' established, … (see include/net/tcp_states.h) */
  readonly state: string;
  readonly txQueue: number;
  /** for a listening socket: connections waiting to be accepted; otherwise unread bytes */
  readonly rxQueue: number;
}

/** Loopback IPv4 TCP sockets from /proc/net/tcp. */
export function tcpSockets(): TcpSocketState[] {
  const lines = fs.readFileSync('/proc/net/tcp', 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const f = line.trim().split(/\s+/);
    const [, localPortHex] = (f[1] ?? ':').split(':');
    const [, remotePortHex] = (f[2] ?? ':').split(':');
    const [tx, rx] = (f[4] ?? '0:0').split(':');
    return {
      localPort: parseInt(localPortHex ?? '0', 16),
      remotePort: parseInt(remotePortHex ?? '0', 16),
      state: f[3] ?? '',
      txQueue: parseInt(tx ?? '0', 16),
      rxQueue: parseInt(rx ?? '0', 16),
    };
  });
}

/** Connections waiting in the accept queue of the listener on `port`. */
export function acceptBacklog(port: number): number {
  return tcpSockets()
    .filter((s) => s.localPort === port && s.state === '0A')
    .reduce((n, s) => n + s.rxQueue, 0);
}

/**
 * True when the server on `port` has accepted every connection from the given
 * client ports and read every byte they sent (nothing waits in a kernel queue):
 * from then on, those requests are in the server's hands.
 */
export function serverHasRead(port: number, clientPorts: ReadonlySet<number>): boolean {
  if (acceptBacklog(port) > 0) return false;
  return tcpSockets().every((s) => !(s.localPort === port && clientPorts.has(s.remotePort) && s.rxQueue > 0));
}
