// Who is signed in: GET /v1/me once, shared through context; sign-in and sign-out refresh it.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Me } from '../../lib/api/me';
import { ApiFailure, api, rememberCsrf } from './api';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-in'; me: Me }
  | { status: 'signed-out' }
  | { status: 'unavailable'; message: string };

type SessionValue = { state: SessionState; refresh: () => Promise<void> };
const SessionContext = createContext<SessionValue>({
  state: { status: 'loading' },
  refresh: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const refresh = useCallback(async () => {
    try {
      const me = await api<Me>('/v1/me');
      if (me.authenticatedBy === 'session') rememberCsrf(me.csrfToken);
      setState({ status: 'signed-in', me });
    } catch (err) {
      // 401 unauthenticated (DESIGN §3): nobody is signed in; anything else is the platform's.
      if (err instanceof ApiFailure && err.status === 401) setState({ status: 'signed-out' });
      else setState({ status: 'unavailable', message: (err as Error).message });
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <SessionContext.Provider value={{ state, refresh }}>{children}</SessionContext.Provider>;
}

export const useSession = (): SessionValue => useContext(SessionContext);
