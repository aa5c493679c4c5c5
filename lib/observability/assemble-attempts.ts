// Groups the connection recorder's steps into authorization attempts (docs/observability.md
// "Connection recorder"). Steps are tied together, strongest link first:
// 1. the attempt key — hash of client_id + PKCE challenge — shared by authorize, login, consent
//    and the code exchange of one authorization (RFC 7636 §4.1: a fresh challenge each time);
// 2. the grant id — the code exchange issues it, the runner reads it from the token's `jti` on the
//    first MCP request;
// 3. otherwise, for discovery and registration (before any of those exist) and failures that
//    carry none: the nearest attempt of the same client id, else of the same requester (hash of
//    address + user agent), within ATTRIBUTION_WINDOW_MS; steps with no such attempt form their
//    own, one per client or requester and burst.
// Limits: two clients behind one address with the same user agent, starting within the window,
// can swap discovery steps; local runs have no address, so only the user agent tells them apart.
import type { AttemptStep, ConnectionStep } from '../api/connection-attempts';
import { CONNECTION_STEPS } from '../api/connection-attempts';
import { ATTRIBUTION_WINDOW_MS } from '../db/connection-events';
import type { ConnectionEvent } from '../db/schema';

export type AttemptGroup = {
  id: string;
  clientId: string | null;
  events: ConnectionEvent[];
};

type Group = AttemptGroup & { requesters: Set<string>; grantIds: Set<string> };

const first = (g: Group) => g.events[0]!.at;
const last = (g: Group) => g.events[g.events.length - 1]!.at;

function add(g: Group, e: ConnectionEvent): void {
  g.events.push(e);
  g.clientId ??= e.clientId;
  if (e.requester) g.requesters.add(e.requester);
  if (e.grantId) g.grantIds.add(e.grantId);
}

function newGroup(e: ConnectionEvent): Group {
  const g: Group = {
    id: e.id,
    clientId: null,
    events: [],
    requesters: new Set(),
    grantIds: new Set(),
  };
  add(g, e);
  return g;
}

/** Distance in ms from `at` to the group's span; Infinity past the window. */
function distance(g: Group, at: number): number {
  const d = at < first(g) ? first(g) - at : at > last(g) ? at - last(g) : 0;
  return d <= ATTRIBUTION_WINDOW_MS ? d : Infinity;
}

function nearest(groups: Group[], e: ConnectionEvent, match: (g: Group) => boolean) {
  let best: Group | undefined;
  let bestD = Infinity;
  for (const g of groups) {
    if (!match(g)) continue;
    const d = distance(g, e.at);
    if (d < bestD) [best, bestD] = [g, d];
  }
  return best;
}

export function assembleAttempts(events: readonly ConnectionEvent[]): AttemptGroup[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const byKey = new Map<string, Group>();
  const byGrant = new Map<string, Group>();
  const rest: ConnectionEvent[] = [];
  for (const e of sorted) {
    if (e.attemptKey) {
      const g = byKey.get(e.attemptKey);
      if (g) add(g, e);
      else byKey.set(e.attemptKey, newGroup(e));
      if (e.grantId) byGrant.set(e.grantId, byKey.get(e.attemptKey)!);
    } else rest.push(e);
  }
  const groups = [...byKey.values()];
  const pending: ConnectionEvent[] = [];
  for (const e of rest) {
    const g = e.grantId ? byGrant.get(e.grantId) : undefined;
    if (g) add(g, e);
    else pending.push(e);
  }
  // Steps naming a client first: registration links discovery (by requester) to its attempt.
  const ordered = [...pending.filter((e) => e.clientId), ...pending.filter((e) => !e.clientId)];
  const own: Group[] = [];
  for (const e of ordered) {
    const g =
      (e.clientId ? nearest(groups, e, (x) => x.clientId === e.clientId) : undefined) ??
      (e.requester ? nearest(groups, e, (x) => x.requesters.has(e.requester!)) : undefined) ??
      nearest(
        own,
        e,
        (x) =>
          (e.clientId !== null && x.clientId === e.clientId) ||
          (e.requester !== null && x.requesters.has(e.requester)),
      );
    if (g) add(g, e);
    else {
      const created = newGroup(e);
      own.push(created);
      groups.push(created);
    }
  }
  const order = (s: string) => CONNECTION_STEPS.indexOf(s as ConnectionStep);
  return groups
    .map((g) => ({
      id: g.id,
      clientId: g.clientId,
      events: g.events.sort((a, b) => a.at - b.at || order(a.step) - order(b.step)),
    }))
    .sort((a, b) => b.events[0]!.at - a.events[0]!.at);
}

export function stepsOf(g: AttemptGroup): AttemptStep[] {
  return g.events.map((e) => ({
    step: e.step as ConnectionStep,
    at: e.at,
    ok: e.ok,
    detail: e.detail as AttemptStep['detail'],
  }));
}
