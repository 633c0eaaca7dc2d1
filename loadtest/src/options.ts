// The command line: parsed once with node:util parseArgs, validated, every problem reported together.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export type Api = 'openai' | 'anthropic';

export interface Target {
  /** Label in reports (the `name=` prefix of --url, else host:port). */
  name: string;
  /** Base URL as the official SDK takes it: `http://host/v1` for OpenAI, `https://host` for Anthropic. */
  url: string;
  /** Keys used round-robin, request i gets keys[i % keys.length]. */
  keys: string[];
}

export interface Options {
  targets: Target[];
  api: Api;
  model: string;
  prompt: string;
  maxTokens: number;
  stream: boolean;
  /** Closed loop: requests in flight. Open loop: the most in flight (later ones wait, counted in their latency). */
  concurrency: number;
  /** Stop after this many requests; null = run for durationMs. */
  requests: number | null;
  /** Stop issuing after this long; null = run until `requests` are sent. */
  durationMs: number | null;
  /** Open loop: requests per second on a fixed schedule; null = closed loop. */
  rate: number | null;
  /** Requests sent (and discarded) before measuring, per target. */
  warmup: number;
  timeoutMs: number;
  headers: Record<string, string>;
  /** Where --json writes the result ('-' = stdout); null = none. */
  jsonPath: string | null;
  /** Exit 1 when any target's success rate (percent) is below this. */
  minSuccess: number | null;
  progress: boolean;
}

export const usage = `Usage: gw-loadtest --url [NAME=]URL [--url …] [options]

Targets (repeat --url to compare several side by side; each gets the same test in turn):
  --url [NAME=]URL        base URL as the SDKs take it: http://host:8080/v1 (OpenAI), https://api.anthropic.com (Anthropic)
  --api openai|anthropic  wire format: POST URL/chat/completions, or POST URL/v1/messages (default openai)
  --key [NAME=]KEY        API key (repeatable: used round-robin); NAME= limits it to that target. Default: $LOADTEST_API_KEY
  --keys-file [NAME=]PATH one key per line, used round-robin (spreads load across orgs)

Load:
  -c, --concurrency N     requests in flight (default 10); with --rate, the most in flight (default 1000)
  -n, --requests N        total requests (default 100 unless --duration is given)
  -d, --duration T        run for T (30s, 2m, 500ms); with -n, stop at whichever comes first
  -r, --rate R            open loop: R requests/s on a fixed schedule, latency counted from the planned send time
  --warmup N              requests sent first and not counted (default 0)
  --timeout T             per-request timeout (default 60s)

Request:
  -m, --model NAME        model (default gpt-4o-mini)
  --prompt TEXT           user message (default "Say hello.")
  --max-tokens N          max tokens to generate (default 64)
  -s, --stream            stream (SSE): time to first token is measured too
  -H, --header 'K: V'     extra request header (repeatable)

Output:
  --json PATH             write the result as JSON to PATH ('-' = stdout instead of the text report)
  --min-success PCT       exit 1 if a target's success rate is below PCT
  --no-progress           no progress bar (it is shown only on a terminal anyway)
  -h, --help              this text
`;

export class OptionsError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** `30s`, `2m`, `500ms`, `1h` or plain seconds, to milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Math.round(Number(m[1]) * unit);
  return ms > 0 ? ms : null;
}

/** Splits `NAME=VALUE` when NAME is one of `names`; otherwise the whole text is the value, for every target. */
function scoped(text: string, names: Set<string>): { name: string | null; value: string } {
  const eq = text.indexOf('=');
  if (eq > 0 && names.has(text.slice(0, eq))) return { name: text.slice(0, eq), value: text.slice(eq + 1) };
  return { name: null, value: text };
}

export function parseOptions(argv: string[], env: Record<string, string | undefined> = process.env): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      url: { type: 'string', multiple: true },
      api: { type: 'string', default: 'openai' },
      key: { type: 'string', multiple: true },
      'keys-file': { type: 'string', multiple: true },
      concurrency: { type: 'string', short: 'c' },
      requests: { type: 'string', short: 'n' },
      duration: { type: 'string', short: 'd' },
      rate: { type: 'string', short: 'r' },
      warmup: { type: 'string', default: '0' },
      timeout: { type: 'string', default: '60s' },
      model: { type: 'string', short: 'm', default: 'gpt-4o-mini' },
      prompt: { type: 'string', default: 'Say hello.' },
      'max-tokens': { type: 'string', default: '64' },
      stream: { type: 'boolean', short: 's', default: false },
      header: { type: 'string', short: 'H', multiple: true },
      json: { type: 'string' },
      'min-success': { type: 'string' },
      progress: { type: 'boolean', default: true },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const problems: string[] = [];
  const positiveInt = (name: string, raw: string | undefined, min = 1): number | null => {
    if (raw === undefined) return null;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      problems.push(`--${name} must be an integer of at least ${min} (got "${raw}")`);
      return null;
    }
    return n;
  };

  const api = values.api as Api;
  if (api !== 'openai' && api !== 'anthropic') problems.push(`--api must be openai or anthropic (got "${values.api}")`);

  const targets: Target[] = [];
  for (const spec of values.url ?? []) {
    const eq = spec.indexOf('=');
    const named = eq > 0 && !spec.slice(0, eq).includes(':');
    const name = named ? spec.slice(0, eq) : null;
    const url = (named ? spec.slice(eq + 1) : spec).replace(/\/+$/, '');
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      targets.push({ name: name ?? u.host, url, keys: [] });
    } catch {
      problems.push(`--url must be an http(s) URL such as http://127.0.0.1:8080/v1 (got "${spec}")`);
    }
  }
  if (!values.url?.length) problems.push('--url is required');
  const names = new Set(targets.map((t) => t.name));
  if (names.size !== targets.length) problems.push('--url names must differ (prefix each with NAME=)');

  const addKeys = (name: string | null, keys: string[]) => {
    for (const t of targets) if (name === null || t.name === name) t.keys.push(...keys);
  };
  for (const k of values.key ?? []) {
    const { name, value } = scoped(k, names);
    addKeys(name, [value]);
  }
  for (const f of values['keys-file'] ?? []) {
    const { name, value } = scoped(f, names);
    try {
      const keys = readFileSync(value, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      if (!keys.length) problems.push(`--keys-file ${value} holds no key`);
      addKeys(name, keys);
    } catch (e) {
      problems.push(`--keys-file ${value} cannot be read: ${(e as Error).message}`);
    }
  }
  const envKey = env.LOADTEST_API_KEY?.trim();
  for (const t of targets) {
    if (!t.keys.length && envKey) t.keys.push(envKey);
    if (!t.keys.length) problems.push(`no key for ${t.name}: give --key, --keys-file or LOADTEST_API_KEY`);
  }

  let requests = positiveInt('requests', values.requests);
  let durationMs: number | null = null;
  if (values.duration !== undefined) {
    durationMs = parseDuration(values.duration);
    if (durationMs === null) problems.push(`--duration must look like 30s, 2m or 500ms (got "${values.duration}")`);
  }
  if (requests === null && values.duration === undefined) requests = 100;
  let rate: number | null = null;
  if (values.rate !== undefined) {
    rate = Number(values.rate);
    if (!Number.isFinite(rate) || rate <= 0) {
      problems.push(`--rate must be a positive number of requests per second (got "${values.rate}")`);
      rate = null;
    }
  }
  // Closed loop: the concurrency is the load. Open loop: only a safety cap, so high enough not to shape the rate.
  const concurrency = positiveInt('concurrency', values.concurrency) ?? (rate === null ? 10 : 1000);
  const timeoutMs = parseDuration(values.timeout);
  if (timeoutMs === null) problems.push(`--timeout must look like 60s or 500ms (got "${values.timeout}")`);

  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) problems.push(`--header must look like 'Name: value' (got "${h}")`);
    else headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  let minSuccess: number | null = null;
  if (values['min-success'] !== undefined) {
    minSuccess = Number(values['min-success']);
    if (!Number.isFinite(minSuccess) || minSuccess < 0 || minSuccess > 100) {
      problems.push(`--min-success must be a percentage from 0 to 100 (got "${values['min-success']}")`);
      minSuccess = null;
    }
  }

  const options: Options = {
    targets,
    api,
    model: values.model,
    prompt: values.prompt,
    maxTokens: positiveInt('max-tokens', values['max-tokens']) ?? 64,
    stream: values.stream,
    concurrency,
    requests,
    durationMs,
    rate,
    warmup: positiveInt('warmup', values.warmup, 0) ?? 0,
    timeoutMs: timeoutMs ?? 60_000,
    headers,
    jsonPath: values.json ?? null,
    minSuccess,
    progress: values.progress && !values['no-progress'],
  };
  if (problems.length) throw new OptionsError(problems);
  return options;
}
