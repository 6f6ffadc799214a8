/**
 * The admin console at /admin (SPEC §8), loaded only when an organizer opens it: the player app
 * imports this module dynamically, so players never download it. Phases: booting → signed out ⇄
 * signed in; "signed in" is probed with GET /api/admin/stream-url (401 without an admin session).
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorCode } from '../../../src/protocol/api.js';
import { createAdminApi, type AdminApi } from './api.js';
import { AdminLogin } from './AdminLogin.js';
import { AdminShell } from './AdminShell.js';
import { adminFailure } from './format.js';
import './admin.css';
import { ErrorSplash, LoadingSplash } from '../ui/Splash.js';

type Phase =
  | { readonly kind: 'booting' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'anon'; readonly notice: string | null }
  | { readonly kind: 'authed'; readonly wsUrl: string };

const ENDED = 'Your admin session has ended. Please sign in again.';

export function AdminApp(): JSX.Element {
  const [phase, setPhase] = useState<Phase>({ kind: 'booting' });
  const signOut = useCallback((notice: string | null) => setPhase({ kind: 'anon', notice }), []);
  const api: AdminApi = useMemo(() => createAdminApi({ onUnauthorized: () => signOut(ENDED) }), [signOut]);

  const boot = useCallback(async () => {
    const res = await api.streamUrl();
    if (res.ok) setPhase({ kind: 'authed', wsUrl: res.value.websocket_url });
    else if (res.failure.kind === 'http' && res.failure.status === 401) setPhase({ kind: 'anon', notice: null });
    else if (res.failure.kind === 'http' && res.failure.code === ErrorCode.adminNotConfigured) setPhase({ kind: 'error', message: adminFailure(res.failure) });
    else setPhase({ kind: 'error', message: adminFailure(res.failure) });
  }, [api]);

  useEffect(() => {
    document.title = 'ctfg admin';
    void boot();
  }, [boot]);

  const logout = useCallback(async () => {
    await api.logout();
    signOut(null);
  }, [api, signOut]);

  switch (phase.kind) {
    case 'booting':
      return <LoadingSplash />;
    case 'error':
      return <ErrorSplash message={phase.message} onRetry={() => void boot()} testId="admin-error" />;
    case 'anon':
      return <AdminLogin api={api} notice={phase.notice} onSignedIn={(wsUrl) => setPhase({ kind: 'authed', wsUrl })} />;
    case 'authed':
      return <AdminShell api={api} wsUrl={phase.wsUrl} onLogout={() => void logout()} onSessionEnded={() => signOut(ENDED)} />;
  }
}
