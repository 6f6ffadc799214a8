import type { ResetCounts } from '../../storage/store.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ctfg</title>
<style>
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,sans-serif;background:#0f172a;color:#e2e8f0}
main{max-width:32rem;padding:2rem;border:1px solid #334155;border-radius:12px;background:#1e293b}
h1{margin-top:0;font-size:1.5rem}label{display:block;margin:1rem 0 .25rem}
input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;border-radius:8px;border:1px solid #475569;background:#0f172a;color:inherit}
button{margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:8px;background:#dc2626;color:#fff;font-weight:600;cursor:pointer}
.warn{color:#fca5a5}a{color:#93c5fd}ul{padding-left:1.2rem}
</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function resetFormPage(configured: boolean): string {
  if (!configured) return notConfiguredPage();
  return page(
    'Reset the game',
    `<p class="warn">This deletes every solve and hint purchase, clears every display name and logs every player out. It cannot be undone.</p>
<form method="post" action="/admin/reset">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<label><input type="checkbox" name="confirm" value="yes" required> Yes, reset the game</label>
<button type="submit">Reset the game</button>
</form>`,
  );
}

export function notConfiguredPage(): string {
  return page(
    'Reset is not configured',
    '<p>Set <code>CTFG_ADMIN_TOKEN</code> in the environment or in the game folder\'s <code>.env</code> and restart ctfg to enable the admin reset.</p>',
  );
}

export function resetDonePage(counts: ResetCounts): string {
  return page(
    'Game reset',
    `<p>The game was reset. Cleared:</p><ul>
<li>${counts.events} solve and hint events</li>
<li>${counts.names} display names</li>
<li>${counts.sessions} sessions (every browser was logged out)</li></ul>
<p><a href="/">Back to the game</a></p>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p><p><a href="/reset">Back</a></p>`);
}
