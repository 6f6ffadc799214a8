/** The confirmation (and reason) dialogs of the moderation actions. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AdminChallenge, AdminPlayer } from '../../../../src/protocol/console.js';
import type { ApiResult } from '../../api/client.js';
import type { AdminApi } from '../api.js';
import { ConfirmDialog, DialogField } from '../Dialogs.js';
import { adminFailure, parsePoints, signedPoints } from '../format.js';

export type PlayerAction = 'ban' | 'unban' | 'clear-name' | 'unranked' | 'adjust' | 'award' | 'revoke';

const REASON_MAX = 500;

export interface PlayerDialogProps {
  readonly api: AdminApi;
  readonly action: PlayerAction;
  readonly player: AdminPlayer;
  readonly onClose: () => void;
  readonly onDone: (message: string) => void;
  /** for award and revoke */
  readonly challenges: readonly AdminChallenge[];
}

function ChallengePick(props: { readonly challenges: readonly AdminChallenge[]; readonly value: string; readonly onInput: (v: string) => void }): JSX.Element {
  return (
    <div class="field">
      <label for="solve-challenge">Challenge</label>
      <select id="solve-challenge" value={props.value} onChange={(e) => props.onInput(e.currentTarget.value)} data-autofocus>
        <option value="">Choose…</option>
        {props.challenges.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id} · {c.title}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Award or revoke one solve: a challenge and a reason, both required. */
function SolveDialog(props: PlayerDialogProps & { readonly who: string; readonly finish: (res: ApiResult<unknown>, message: string) => Promise<string | null> }): JSX.Element {
  const [id, setId] = useState('');
  const [reason, setReason] = useState('');
  const { api, player: p } = props;
  const award = props.action === 'award';
  const title = props.challenges.find((c) => String(c.id) === id)?.title ?? '';
  const run = async (): Promise<string | null> => {
    const res = award ? await api.award(p.username, Number(id), reason.trim()) : await api.revoke(p.username, Number(id), reason.trim());
    return props.finish(res, award ? `${title} awarded to ${p.username}.` : `${title} revoked from ${p.username}.`);
  };
  return (
    <ConfirmDialog onClose={props.onClose} title={award ? `Award a solve to ${props.who}` : `Revoke a solve of ${props.who}`} confirmLabel={award ? 'Award' : 'Revoke'} danger={!award} ready={id !== '' && reason.trim() !== ''} onConfirm={run}>
      <p>{award ? 'Counts as if they had submitted the correct flag (requirements are not checked).' : 'Cancels the solve: score, solve counts and first-blood ranks follow, and they may solve it again.'}</p>
      <ChallengePick challenges={props.challenges} value={id} onInput={setId} />
      <DialogField id="solve-reason" label="Reason" value={reason} onInput={setReason} maxLength={REASON_MAX} />
    </ConfirmDialog>
  );
}

export function PlayerDialog(props: PlayerDialogProps): JSX.Element {
  const { api, player: p } = props;
  const [reason, setReason] = useState('');
  const [points, setPoints] = useState('');
  const who = p.displayname === null ? p.username : `${p.displayname} (${p.username})`;
  const finish = async (res: ApiResult<unknown>, message: string): Promise<string | null> => {
    if (!res.ok) return adminFailure(res.failure);
    props.onDone(message);
    return null;
  };
  const common = { onClose: props.onClose };
  switch (props.action) {
    case 'award':
    case 'revoke':
      return <SolveDialog {...props} who={who} finish={finish} />;
    case 'ban':
      return (
        <ConfirmDialog {...common} title={`Ban ${who}?`} confirmLabel="Ban" danger ready={reason.trim() !== ''} onConfirm={async () => finish(await api.ban({ username: p.username, reason: reason.trim() }), `${p.username} banned.`)}>
          <p>Their sessions end at once, they cannot log in, and they vanish from every board and feed until unbanned.</p>
          <DialogField id="ban-reason" label="Reason (shown to the player)" value={reason} onInput={setReason} maxLength={REASON_MAX} autofocus />
        </ConfirmDialog>
      );
    case 'unban':
      return (
        <ConfirmDialog {...common} title={`Unban ${who}?`} confirmLabel="Unban" onConfirm={async () => finish(await api.unban(p.username), `${p.username} unbanned.`)}>
          <p>They can log in again and their solves come back on the boards.</p>
        </ConfirmDialog>
      );
    case 'clear-name':
      return (
        <ConfirmDialog {...common} title={`Clear the name "${p.displayname ?? ''}"?`} confirmLabel="Clear name" danger onConfirm={async () => finish(await api.clearName(p.username), `Name of ${p.username} cleared.`)}>
          <p>The name is blocked for everyone, forever; {p.username} must pick a new one.</p>
        </ConfirmDialog>
      );
    case 'unranked': {
      const next = p.unranked !== true;
      return (
        <ConfirmDialog {...common} title={next ? `Leave ${who} off the boards?` : `Rank ${who} again?`} confirmLabel={next ? 'Unrank' : 'Rank'} onConfirm={async () => finish(await api.unranked(p.username, next), next ? `${p.username} is unranked.` : `${p.username} is ranked again.`)}>
          <p>{next ? 'An unranked player (staff, tester, guest) plays normally but is left out of boards, feeds, results and first-blood ranks.' : 'They appear on the boards again.'}</p>
        </ConfirmDialog>
      );
    }
    case 'adjust': {
      const n = parsePoints(points);
      return (
        <ConfirmDialog {...common} title={`Adjust the score of ${who}`} confirmLabel={n === null ? 'Adjust' : `Adjust ${signedPoints(n)}`} ready={n !== null && reason.trim() !== ''} onConfirm={async () => finish(await api.adjust({ username: p.username, points: n ?? 0, reason: reason.trim() }), `${p.username}: ${signedPoints(n ?? 0)} points.`)}>
          <DialogField id="adjust-points" label="Points (negative to take away)" value={points} onInput={setPoints} hint="A whole number other than 0, e.g. 50 or -20." autofocus />
          <DialogField id="adjust-reason" label="Reason" value={reason} onInput={setReason} maxLength={REASON_MAX} />
        </ConfirmDialog>
      );
    }
  }
}
