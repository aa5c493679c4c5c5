// Who is signed in: GET /v1/me once, shared through context; sign-in and sign-out refresh it.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiFailure, api, rememberCsrf } from './api';

export type Me = {
  user: { id: string; email: string; name?: string | null; createdAt?: string | number };
  orgId: string;
  role?: 'owner' | 'admin' | 'member';
  orgs?: { id: string; name?: string; role?: string }[];
  csrfToken?: string;
};

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
      rememberCsrf(me.csrfToken);
      setState({ status: 'signed-in', me });
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) setState({ status: 'signed-out' });
      else if (err instanceof ApiFailure && err.notAvailable)
        setState({
          status: 'unavailable',
          message: 'The account API (/v1/me) is not available on this platform yet.',
        });
      else setState({ status: 'unavailable', message: (err as Error).message });
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <SessionContext.Provider value={{ state, refresh }}>{children}</SessionContext.Provider>;
}

export const useSession = (): SessionValue => useContext(SessionContext);
