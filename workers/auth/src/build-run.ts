import { DurableObject } from 'cloudflare:workers';

/** One build of one server version (issue: dashboard and build). Placeholder until that lands. */
export class BuildRun extends DurableObject<Env> {}
