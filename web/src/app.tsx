// The shell: header navigation, the route table (one lazily loaded chunk per page) and the session.
import { Suspense, lazy, useState, type ComponentType } from 'react';
import { api } from './api';
import { Link, matchPath, navigate, useLocation } from './router';
import { SessionProvider, useSession } from './session';
import { Spinner } from './ui';

type Page = ComponentType<{ params: Record<string, string>; query: URLSearchParams }>;
const page = (load: () => Promise<{ default: Page }>) => lazy(load);

const ROUTES: [string, Page][] = [
  ['/', page(() => import('./pages/landing'))],
  ['/sign-in', page(() => import('./pages/sign-in'))],
  ['/sign-up', page(() => import('./pages/sign-up'))],
  ['/servers', page(() => import('./pages/servers'))],
  ['/servers/new', page(() => import('./pages/wizard'))],
  ['/servers/:id', page(() => import('./pages/server-detail'))],
  ['/settings', page(() => import('./pages/settings'))],
  ['/audit', page(() => import('./pages/audit'))],
  ['/docs', page(() => import('./pages/docs'))],
  ['/docs/:topic', page(() => import('./pages/docs'))],
  ['/status', page(() => import('./pages/status'))],
  ['/playground/callback', page(() => import('./server/playground-callback'))],
];
const NotFound = page(() => import('./pages/not-found'));

function resolve(path: string): { Page: Page; params: Record<string, string> } {
  for (const [pattern, Page] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return { Page, params };
  }
  return { Page: NotFound, params: {} };
}

function Header() {
  const { state, refresh } = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  const signOut = async () => {
    try {
      await api('/v1/auth/logout', { method: 'POST' });
    } finally {
      await refresh();
      navigate('/');
    }
  };
  const nav = (href: string, label: string) => (
    <Link
      href={href}
      aria-current={
        path === href || (href !== '/' && path.startsWith(`${href}/`)) ? 'page' : undefined
      }
      onClick={() => setOpen(false)}
    >
      {label}
    </Link>
  );
  return (
    <header className="site-header">
      <div className="header-inner">
        <Link href="/" className="brand" aria-label="Moat home">
          <img src="/favicon.svg" alt="" width="24" height="24" /> Moat
        </Link>
        <button
          type="button"
          className="btn btn-small menu-toggle"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen(!open)}
        >
          Menu
        </button>
        <nav id="main-nav" className={open ? 'open' : ''} aria-label="Main">
          {state.status === 'signed-in' && (
            <>
              {nav('/servers', 'Servers')}
              {nav('/audit', 'Audit')}
              {nav('/settings', 'Settings')}
            </>
          )}
          {nav('/docs', 'Docs')}
          {nav('/status', 'Status')}
          {state.status === 'signed-in' ? (
            <button type="button" className="btn btn-small" onClick={signOut}>
              Sign out <span className="visually-hidden">{state.me.user.email}</span>
            </button>
          ) : (
            <>
              {nav('/sign-in', 'Sign in')}
              <Link
                href="/sign-up"
                className="btn btn-primary btn-small"
                onClick={() => setOpen(false)}
              >
                Sign up
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

function Routes() {
  const { path, query } = useLocation();
  const { Page, params } = resolve(path);
  return (
    <main id="main" tabIndex={-1}>
      <Suspense fallback={<Spinner label="Loading…" />}>
        <Page params={params} query={query} key={path} />
      </Suspense>
    </main>
  );
}

export function App() {
  return (
    <SessionProvider>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Header />
      <Routes />
      <footer className="site-footer">
        <span>Moat — hosted MCP servers behind OAuth 2.1</span>
        <Link href="/docs">Docs</Link>
        <Link href="/status">Status</Link>
      </footer>
    </SessionProvider>
  );
}
