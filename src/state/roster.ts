import type { Credential } from '../domain/types.js';
import type { UserRecord } from '../storage/store.js';
import { newPlayer, newUnit, type Player, type Unit } from './player.js';

/**
 * The known players, by id and by login name, and who plays with whom: each
 * player alone, or in team mode (SPEC §9) with their team, sharing one unit.
 */
export class Roster {
  private readonly byId = new Map<number, Player>();
  private readonly byUsername = new Map<string, Player>();

  get size(): number {
    return this.byId.size;
  }

  /** Adds a player from the store (alone until `assign` puts them in a team); an existing one is kept. */
  add(u: UserRecord): Player {
    const existing = this.byId.get(u.id);
    if (existing) return existing;
    const p = newPlayer(u.id, u.username, u.displayname);
    p.banReason = u.banReason ?? null;
    p.unranked = u.unranked ?? false;
    this.byId.set(u.id, p);
    this.byUsername.set(u.username, p);
    return p;
  }

  byUserId(id: number): Player | undefined {
    return this.byId.get(id);
  }

  byLogin(username: string): Player | undefined {
    return this.byUsername.get(username);
  }

  /** Every known player, in id order. */
  all(): IterableIterator<Player> {
    return this.byId.values();
  }

  /**
   * Takes each player's team and division from credentials.csv (players not in
   * it keep theirs) and regroups everyone into units: their progress must then
   * be folded anew (the state's replay or rebuild).
   */
  assign(credentials: readonly Credential[]): void {
    for (const c of credentials) {
      const p = this.byUsername.get(c.username);
      if (!p) continue;
      p.division = c.division ?? null;
      p.team = c.team ?? null;
    }
    const teams = new Map<string, Unit>();
    for (const p of this.byId.values()) {
      if (p.team === null) {
        p.unit = newUnit(p.id, null, [p]);
        continue;
      }
      let u = teams.get(p.team);
      if (!u) teams.set(p.team, (u = newUnit(-(teams.size + 1), p.team)));
      u.members.push(p);
      p.unit = u;
    }
  }

  /** Team mode (SPEC §9): some player has a team. */
  get teamMode(): boolean {
    for (const p of this.byId.values()) if (p.team !== null) return true;
    return false;
  }

  /** Whether another player's display name has this key. */
  isNameTaken(key: string, except: Player, nameKey: (name: string) => string): boolean {
    for (const p of this.byId.values()) {
      if (p !== except && p.displayname !== null && nameKey(p.displayname) === key) return true;
    }
    return false;
  }
}
