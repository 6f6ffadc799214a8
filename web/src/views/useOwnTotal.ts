/**
 * The points in the nav: the latest of the live standings row, a submit answer and the score the
 * challenge list implies. During a freeze the board (this player's row included) stands still while
 * the player's own score stays live (SPEC §7), so it comes from GET /api/me instead of the row.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ChallengeView } from '../../../src/protocol/api.js';
import type { Api } from '../api/client.js';
import { findRow, type StandingsState } from '../live/standings.js';
import { scoreFromChallenges } from '../util/format.js';

export function useOwnTotal(
  api: Api,
  standings: StandingsState,
  me: string,
  challenges: readonly ChallengeView[] | null,
  frozen: boolean,
): [number | null, (total: number) => void] {
  const [ownTotal, setOwnTotal] = useState<number | null>(null);
  const rowScore = frozen ? undefined : findRow(standings, me)?.score;

  useEffect(() => {
    if (rowScore !== undefined) setOwnTotal(rowScore);
  }, [rowScore]);

  useEffect(() => {
    if (challenges === null || rowScore !== undefined) return undefined;
    if (!frozen) {
      setOwnTotal(scoreFromChallenges(challenges));
      return undefined;
    }
    let stale = false;
    void api.me().then((res) => {
      if (stale) return;
      setOwnTotal(res.ok && typeof res.value.score === 'number' ? res.value.score : scoreFromChallenges(challenges));
    });
    return () => {
      stale = true;
    };
  }, [api, challenges, rowScore, frozen]);

  const set = useCallback((total: number) => setOwnTotal(total), []);
  return [ownTotal, set];
}
