/** Results CSV and backup downloads, and the `ctfg export` / `ctfg import` commands. */
import type { JSX } from 'preact';
import type { PageProps } from '../AdminShell.js';

export function ExportPage(_props: PageProps): JSX.Element {
  return (
    <div class="admin-grid">
      <section class="card admin-card" aria-labelledby="results-title">
        <h2 id="results-title">Results</h2>
        <p>
          One line per player on the board: <code>pos, username, displayname, team, division, score, solves, last_ts</code>. Banned and unranked players are left out.
        </p>
        <a class="btn primary" href="/api/admin/export/results.csv" download="results.csv" data-testid="results-csv">
          Download results.csv
        </a>
      </section>
      <section class="card admin-card" aria-labelledby="backup-title">
        <h2 id="backup-title">Backup</h2>
        <p>
          A full backup of the game state (players, every event, names, bans, announcements, submissions with their flag text, the audit log): one consistent snapshot,
          taken while the event runs. Keep it private.
        </p>
        <a class="btn primary" href="/api/admin/export/backup.jsonl" download="ctfg-backup.jsonl" data-testid="backup-jsonl">
          Download backup
        </a>
        <p>The same from the server's shell:</p>
        <pre class="admin-code">
          <code>ctfg export --game-dir GAME &gt; backup.jsonl</code>
        </pre>
        <p>Restore it into an empty store (also to move from SQLite to PostgreSQL):</p>
        <pre class="admin-code">
          <code>ctfg import backup.jsonl --game-dir GAME --database postgres://…</code>
        </pre>
      </section>
    </div>
  );
}
