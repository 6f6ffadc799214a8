/**
 * Top-level state machine: booting → signed out ⇄ signed in (naming → playing). Each phase is its
 * own component so that leaving a phase unmounts it and its effects (the live socket included).
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BOARD_PATH, type LoginResponse } from '../../src/protocol/api.js';
import { createApi, type Api, type AppConfig } from './api/client.js';
import { describeFailure } from './api/messages.js';
import { isAdminPath } from './admin/route.js';
import { Board } from './board/Board.js';
import { Logo } from './ui/icons.js';
import { Play } from './views/Play.js';
import { Login } from './views/Login.js';
import { NameModal } from './views/NameModal.js';
import { ErrorSplash, LoadingSplash } from './ui/Splash.js';

export interface Session {
  readonly username: string;
  readonly displayname: string | null;
  readonly needsName: boolean;
  readonly wsUrl: string;
  /** team mode (SPEC §9): the team whose row and solves are this player's */
  readonly team: string | null;
}

type Phase =
  | { readonly kind: 'booting' }
  | { readonly kind: 'boot-error'; readonly message: string }
  | { readonly kind: 'anon'; readonly notice: string | null }
  | { readonly kind: 'authed'; readonly session: Session };

const SESSION_ENDED = 'Your session has ended. Please log in again.';
const GAME_RESET = 'The game was reset by the organizers. Please log in again and choose a display name.';
const DEFAULT_CONFIG: AppConfig = { banner: null, title: 'ctfg' };

function sessionFrom(resp: LoginResponse, username: string): Session {
  return { username, displayname: resp.displayname, needsName: resp.needs_name, wsUrl: resp.websocket_url, team: resp.team ?? null };
}

/** `/board` is the projector view; everything else is the player app. */
export function isBoardPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === BOARD_PATH;
}

export function App(): JSX.Element {
  const path = window.location.pathname;
  if (isAdminPath(path)) return <AdminLoader />;
  return isBoardPath(path) ? <BoardApp /> : <PlayerApp />;
}

/**
 * The admin console is its own chunk, fetched only under /admin (a dynamic import): players never
 * download it.
 */
function AdminLoader(): JSX.Element {
  const [Console, setConsole] = useState<(() => JSX.Element) | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('./admin/AdminApp.js').then(
      (m) => setConsole(() => m.AdminApp),
      () => setFailed(true),
    );
  }, []);
  if (Console !== null) return <Console />;
  return (
    <main class="splash" id="main" aria-busy={!failed}>
      <Logo size={56} />
      {failed ? (
        <p class="notice error" role="alert">
          The admin console could not be loaded. Reload the page to try again.
        </p>
      ) : (
        <span class="spinner large" aria-hidden="true" />
      )}
    </main>
  );
}

/** The board never signs anyone out: a 401 there only means "no session here". */
function BoardApp(): JSX.Element {
  const api = useMemo(() => createApi({ onUnauthorized: () => undefined }), []);
  const [title, setTitle] = useState(DEFAULT_CONFIG.title);
  useEffect(() => {
    void api.config().then((cfg) => {
      if (cfg.ok && cfg.value.title) setTitle(cfg.value.title);
    });
  }, [api]);
  return <Board api={api} title={title} />;
}

function PlayerApp(): JSX.Element {
  const [phase, setPhase] = useState<Phase>({ kind: 'booting' });
  const [config, setConfig] = useState<AppConfig>(DEFAULT_CONFIG);
  const phaseRef = useRef(phase);
  phaseRef.current = phase;

  const signOutLocally = useCallback((notice: string | null) => setPhase({ kind: 'anon', notice }), []);

  const api: Api = useMemo(
    () =>
      createApi({
        // Any authenticated call answering 401 means the session is gone (expired, reset, logged out elsewhere).
        onUnauthorized: () => {
          if (phaseRef.current.kind === 'authed') signOutLocally(SESSION_ENDED);
        },
      }),
    [signOutLocally],
  );

  const boot = useCallback(async () => {
    setPhase({ kind: 'booting' });
    const [cfg, me] = await Promise.all([api.config(), api.me()]);
    if (cfg.ok) setConfig({ banner: cfg.value.banner ?? null, title: cfg.value.title || 'ctfg' });
    if (me.ok) {
      setPhase({ kind: 'authed', session: sessionFrom(me.value, me.value.username) });
    } else if (me.failure.kind === 'http' && me.failure.status === 401) {
      setPhase({ kind: 'anon', notice: null });
    } else {
      setPhase({ kind: 'boot-error', message: describeFailure(me.failure, 'load') });
    }
  }, [api]);

  useEffect(() => void boot(), [boot]);
  // Play refines the title per page; every other phase shows the plain game title.
  useEffect(() => {
    if (phase.kind !== 'authed') document.title = config.title;
  }, [config.title, phase.kind]);

  const logout = useCallback(async () => {
    await api.logout();
    signOutLocally(null);
  }, [api, signOutLocally]);

  switch (phase.kind) {
    case 'booting':
      return <LoadingSplash />;
    case 'boot-error':
      return <ErrorSplash message={phase.message} onRetry={() => void boot()} />;
    case 'anon':
      return (
        <Login
          api={api}
          title={config.title}
          banner={config.banner}
          notice={phase.notice}
          onLoggedIn={(resp, username) => setPhase({ kind: 'authed', session: sessionFrom(resp, username) })}
        />
      );
    case 'authed': {
      const session = phase.session;
      if (session.needsName || session.displayname === null) {
        return (
          <Naming
            api={api}
            session={session}
            banner={config.banner}
            onNamed={(next) => setPhase({ kind: 'authed', session: next })}
            onCancel={() => void logout()}
          />
        );
      }
      return (
        <Play
          key={session.username}
          api={api}
          session={{ ...session, displayname: session.displayname }}
          config={config}
          onLogout={() => void logout()}
          onReset={() => signOutLocally(GAME_RESET)}
          onSessionEnded={() => signOutLocally(SESSION_ENDED)}
        />
      );
    }
  }
}

interface NamingProps {
  readonly api: Api;
  readonly session: Session;
  readonly banner: string | null;
  readonly onNamed: (session: Session) => void;
  readonly onCancel: () => void;
}

/** The name dialog over a quiet backdrop; nothing of the game loads until the player has a name. */
function Naming(props: NamingProps): JSX.Element {
  const onNamed = async (name: string): Promise<void> => {
    // /api/me is the authority on the stored (normalised) name and hands out a fresh stream URL.
    const me = await props.api.me();
    if (me.ok && me.value.displayname !== null && !me.value.needs_name) {
      props.onNamed(sessionFrom(me.value, me.value.username));
    } else {
      props.onNamed({ ...props.session, displayname: name, needsName: false });
    }
  };
  return (
    <div class="naming-page">
      <header class="topbar">
        <div class="topbar-inner">
          <span class="brand">
            <Logo size={30} />
            <span class="brand-name">ctfg</span>
          </span>
        </div>
      </header>
      {props.banner !== null && (
        <div class="banner" aria-hidden="true">
          <img src={props.banner} alt="" />
        </div>
      )}
      <main id="main" class="page naming-backdrop" aria-hidden="true" />
      <NameModal api={props.api} username={props.session.username} onNamed={(n) => void onNamed(n)} onCancel={props.onCancel} />
    </div>
  );
}
