// Runtime configuration: fetched once from /config.json at boot, so one build serves every deployment.

export interface AppConfig {
  /** Absolute URL of the control plane's GraphQL endpoint. */
  readonly graphqlUrl: string;
}

let current: AppConfig | undefined;

/** Same-origin `/graphql` is the fallback when the server has no config.json (e.g. a reverse proxy in front of both). */
function fallback(): AppConfig {
  return { graphqlUrl: new URL('/graphql', window.location.origin).toString() };
}

function parse(raw: unknown): AppConfig | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const url = (raw as { graphqlUrl?: unknown }).graphqlUrl;
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  try {
    // Relative values resolve against the page origin, so `{"graphqlUrl": "/api/graphql"}` works too.
    return { graphqlUrl: new URL(url, window.location.origin).toString() };
  } catch {
    return undefined;
  }
}

/** Reads /config.json; any problem (missing file, bad JSON, bad URL) means the same-origin fallback. */
export async function loadConfig(): Promise<AppConfig> {
  if (current) return current;
  let loaded: AppConfig | undefined;
  try {
    const res = await fetch('/config.json', {
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) loaded = parse(await res.json());
  } catch {
    loaded = undefined;
  }
  current = Object.freeze(loaded ?? fallback());
  return current;
}

/** The configuration read at boot; calling it before `loadConfig()` resolved is a programming error. */
export function config(): AppConfig {
  if (!current) throw new Error('config() called before loadConfig() finished');
  return current;
}
