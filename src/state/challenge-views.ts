import type { ChallengeView } from '../protocol/api.js';
import { isVisible } from '../domain/rules.js';
import type { Board } from './board.js';
import type { CompiledGame } from './compiled-game.js';
import type { Player } from './player.js';

/** What the /api/challenges answers are built from. */
export interface ChallengeSource {
  readonly game: () => CompiledGame;
  /** the board players see: its values, solve counts and first solvers (frozen during a freeze) */
  readonly board: () => Board;
  readonly isHidden: (challengeId: number) => boolean;
}

type OwnPart = Omit<ChallengeView, 'points' | 'solves' | 'first_solvers'>;
type SharedPart = Pick<ChallengeView, 'points' | 'solves' | 'first_solvers'>;

/**
 * The serialized /api/challenges answers. Each item has a part of its own
 * player (solved, description, hints; cached per player until their own
 * progress changes) and a part shared by everyone (value, solve count, first
 * solvers; cached per challenge until a solve moves it), so a solve anywhere
 * does not re-render every player's descriptions.
 */
export class ChallengeViews {
  private version = 0;
  private readonly shared = new Map<number, string>();

  constructor(private readonly source: ChallengeSource) {}

  /** The shared part of one challenge changed (undefined: of every challenge). */
  touch(challengeId?: number): void {
    this.version++;
    if (challengeId === undefined) this.shared.clear();
    else this.shared.delete(challengeId);
  }

  body(p: Player): Buffer {
    if (p.challengesBody?.version === this.version && p.challengeParts !== null) return p.challengesBody.body;
    const parts = (p.challengeParts ??= this.ownParts(p));
    const items = parts.map(([id, own]) => `${own.slice(0, -1)},${this.sharedPart(id)}}`);
    const body = Buffer.from(`[${items.join(',')}]`);
    p.challengesBody = { version: this.version, body };
    return body;
  }

  private sharedPart(id: number): string {
    let part = this.shared.get(id);
    if (part === undefined) {
      const board = this.source.board();
      const view: SharedPart = { points: board.value(id), solves: board.solveCount(id), first_solvers: board.firstSolvers(id) };
      part = JSON.stringify(view).slice(1, -1);
      this.shared.set(id, part);
    }
    return part;
  }

  private ownParts(p: Player): Array<readonly [number, string]> {
    const parts: Array<readonly [number, string]> = [];
    for (const c of this.source.game().challenges) {
      if (this.source.isHidden(c.challenge.id) || !isVisible(c.challenge, p.unit.solved)) continue;
      const bought = p.unit.hints.get(c.challenge.id);
      const own: OwnPart = {
        id: c.challenge.id,
        title: c.challenge.title,
        category: c.challenge.category,
        difficulty: c.challenge.difficulty,
        solved: p.unit.solved.has(c.challenge.id),
        description: c.render(p),
        hints: c.challenge.hints.map((h) => (bought?.has(h.id) ? { id: h.id, cost: h.cost, text: h.text } : { id: h.id, cost: h.cost })),
        content: c.challenge.content ?? '',
        ...(c.challenge.decay ? { decay: { ...c.challenge.decay, initial: c.challenge.points } } : {}),
      };
      parts.push([c.challenge.id, JSON.stringify(own)]);
    }
    return parts;
  }
}
