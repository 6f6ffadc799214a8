/** The signed-in console: top bar with the pages, the live socket shared by every page, toasts. */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { StatusPill } from '../ui/Nav.js';
import { Logo, LogoutIcon } from '../ui/icons.js';
import { Toasts, useToasts, type ToastsHandle } from '../ui/Toasts.js';
import type { AdminApi } from './api.js';
import { AnnouncementsPage } from './pages/AnnouncementsPage.js';
import { AuditPage } from './pages/AuditPage.js';
import { ChallengesPage } from './pages/ChallengesPage.js';
import { ExportPage } from './pages/ExportPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { PlayersPage } from './pages/PlayersPage.js';
import { ResetPage } from './pages/ResetPage.js';
import { SubmissionsPage } from './pages/SubmissionsPage.js';
import { ADMIN_PAGES, adminHref, PAGE_TITLES, parseAdminPath, type AdminPage } from './route.js';
import { useAdminLive, type AdminLive } from './useAdminLive.js';

export interface PageProps {
  readonly api: AdminApi;
  readonly live: AdminLive;
  readonly toasts: ToastsHandle;
}

function usePath(): [AdminPage, (page: AdminPage) => void] {
  const [page, setPage] = useState<AdminPage>(() => parseAdminPath(window.location.pathname));
  useEffect(() => {
    const onPop = (): void => setPage(parseAdminPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: AdminPage): void => {
    if (parseAdminPath(window.location.pathname) !== next) window.history.pushState(null, '', adminHref(next));
    setPage(next);
  };
  return [page, go];
}

function PageBody(props: PageProps & { readonly page: AdminPage }): JSX.Element {
  switch (props.page) {
    case 'overview':
      return <OverviewPage {...props} />;
    case 'players':
      return <PlayersPage {...props} />;
    case 'submissions':
      return <SubmissionsPage {...props} />;
    case 'challenges':
      return <ChallengesPage {...props} />;
    case 'announcements':
      return <AnnouncementsPage {...props} />;
    case 'audit':
      return <AuditPage {...props} />;
    case 'export':
      return <ExportPage {...props} />;
    case 'reset':
      return <ResetPage {...props} />;
  }
}

export interface AdminShellProps {
  readonly api: AdminApi;
  readonly wsUrl: string;
  readonly onLogout: () => void;
  readonly onSessionEnded: () => void;
}

export function AdminShell(props: AdminShellProps): JSX.Element {
  const [page, go] = usePath();
  const live = useAdminLive(props.api, props.wsUrl, props.onSessionEnded);
  const toasts = useToasts();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${PAGE_TITLES[page]} · ctfg admin`;
    // On a phone the page tabs scroll sideways: keep the current one in sight.
    document.querySelector('.admin-nav .active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [page]);

  const onNav = (ev: MouseEvent, next: AdminPage): void => {
    if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return; // new tab etc.
    ev.preventDefault();
    go(next);
    heading.current?.focus();
  };

  return (
    <div class={`shell admin-shell admin-${page}`}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href={adminHref('overview')} onClick={(e) => onNav(e, 'overview')} aria-label="Admin console home">
            <Logo size={30} />
            <span class="brand-name">ctfg</span>
            <span class="admin-tag">admin</span>
          </a>
          <nav class="main-nav admin-nav" aria-label="Console">
            {ADMIN_PAGES.map((p) => (
              <a key={p} href={adminHref(p)} class={p === page ? 'nav-link active' : 'nav-link'} aria-current={p === page ? 'page' : undefined} onClick={(e) => onNav(e, p)}>
                {PAGE_TITLES[p]}
              </a>
            ))}
          </nav>
          <div class="nav-right">
            <StatusPill status={live.status} />
            <button type="button" class="btn ghost small logout" onClick={props.onLogout}>
              <LogoutIcon size={16} />
              <span>Logout</span>
            </button>
          </div>
        </div>
      </header>
      <Toasts toasts={toasts.toasts} onDismiss={toasts.dismiss} />
      <main id="main" class="main admin-main">
        <h1 tabIndex={-1} ref={heading} class="admin-title">
          {PAGE_TITLES[page]}
        </h1>
        <PageBody page={page} api={props.api} live={live} toasts={toasts} />
      </main>
    </div>
  );
}
