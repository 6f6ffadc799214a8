
/** How many scorestream sockets one session, one player and one address may hold at once. */
export interface SocketCapRules {
  readonly perSession: number;
  readonly perPlayer: number;
  readonly perAddress: number;
}

/**
 * A few tabs per player never notice; one stolen or scripted token cannot
 * exhaust the server's file descriptors. Per address is high because a
 * classroom behind one NAT address holds hundreds of players' sockets.
 */
export const DEFAULT_SOCKET_CAPS: SocketCapRules = { perSession: 8, perPlayer: 16, perAddress: 1000 };

export interface SocketOwner {
  readonly userId: number;
  readonly sessionHash: string;
  readonly address: string;
}

export type CapExceeded = 'session' | 'player' | 'address';

/**
 * Counts this instance's sockets (several instances each count their own).
 * A slot is taken synchronously before the upgrade, so a burst of parallel
 * handshakes cannot all pass the check before any of them is counted.
 */
export class SocketCaps {
  private readonly counts = new Map<string, number>();

  constructor(private readonly rules: SocketCapRules) {}

  private keys(o: SocketOwner): Array<[string, number, CapExceeded]> {
    return [
      [`s:${o.sessionHash}`, this.rules.perSession, 'session'],
      [`p:${o.userId}`, this.rules.perPlayer, 'player'],
      [`a:${o.address}`, this.rules.perAddress, 'address'],
    ];
  }

  /** Takes a slot and returns its release (idempotent), or which cap is full. */
  acquire(owner: SocketOwner): { readonly release: () => void } | { readonly exceeded: CapExceeded } {
    const keys = this.keys(owner);
    for (const [key, cap, name] of keys) if ((this.counts.get(key) ?? 0) >= cap) return { exceeded: name };
    for (const [key] of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const [key] of keys) {
          const left = (this.counts.get(key) ?? 1) - 1;
          if (left <= 0) this.counts.delete(key);
          else this.counts.set(key, left);
        }
      },
    };
  }
}
