/** The audit log, newest first, paged back with before_id. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../../src/protocol/api.js';
import type { PageProps } from '../AdminShell.js';
import { adminFailure, formatTs } from '../format.js';

const PAGE = 50;

export function AuditPage(props: PageProps): JSX.Element {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (beforeId: number | null): Promise<void> => {
    const res = await props.api.audit(PAGE, beforeId);
    if (!res.ok) return setError(adminFailure(res.failure));
    setError(null);
    setEntries((list) => (beforeId === null ? [...res.value.entries] : [...list, ...res.value.entries]));
    setMore(res.value.entries.length === PAGE);
  };
  // Once per page visit; "Refresh" and "Load older" call load again.
  useEffect(() => void load(null), [props.api]);

  const last = entries[entries.length - 1];
  return (
    <section class="card admin-card">
      <div class="admin-toolbar">
        <p class="muted grow">Every admin action, login and failed login: who, from where, what.</p>
        <button type="button" class="btn small ghost" onClick={() => void load(null)}>
          Refresh
        </button>
      </div>
      {error !== null && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <div class="table-scroll">
        <table class="standings admin-table" data-testid="audit-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Admin</th>
              <th>Address</th>
              <th>Action</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <td class="nowrap">{formatTs(e.ts)}</td>
                <td class="strong">{e.admin}</td>
                <td class="muted small">{e.address}</td>
                <td>
                  <span class="chip">{e.action}</span>
                </td>
                <td class="admin-detail">{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more && last !== undefined && (
        <div class="admin-pager">
          <button type="button" class="btn small ghost" onClick={() => void load(last.id)}>
            Load older
          </button>
        </div>
      )}
    </section>
  );
}
