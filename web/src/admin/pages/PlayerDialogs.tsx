/** The confirmation (and reason) dialogs of the moderation actions. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AdminPlayer } from '../../../../src/protocol/console.js';
import type { ApiResult } from '../../api/client.js';
import type { AdminApi } from '../api.js';
import { ConfirmDialog, DialogField } from '../Dialogs.js';
import { adminFailure, parsePoints, signedPoints } from '../format.js';

export type PlayerAction = 'ban' | 'unban' | 'clear-name' | 'unranked' | 'adjust';

const REASON_MAX = 500;

export interface PlayerDialogProps {
  readonly api: AdminApi;
  readonly action: PlayerAction;
  readonly player: AdminPlayer;
  readonly onClose: () => void;
  readonly onDone: (message: string) => void;
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
