// What each service actually reads from its environment and where it listens, taken from its src/config.ts source,
// so that deployment files (compose, Kubernetes) are checked against the code rather than against a copied list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.ts';

export interface ServiceEnv {
  /** Every variable the service reads. */
  all: Set<string>;
  /** Those without a default: the service refuses to start without them. */
  required: Set<string>;
  /** The variable that sets the listening port, and its default. */
  portVariable: string;
  defaultPort: number;
}

/** Control plane: the keys of the zod `envSchema` object; required = no `.default(` and no `.optional(`. */
export function controlPlaneEnv(): ServiceEnv {
  const src = readFileSync(join(repoRoot, 'control-plane/src/config.ts'), 'utf8');
  const body = src.slice(src.indexOf('const envSchema = z.object({'), src.indexOf('\n});', src.indexOf('envSchema')));
  const all = new Set<string>();
  const required = new Set<string>();
  // Each entry runs from `  NAME:` to the next entry at the same indentation.
  const entries = [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):([\s\S]*?)(?=^ {2}[A-Z]|$(?![\s\S]))/gm)];
  for (const [, name, rule] of entries) {
    all.add(name);
    if (!rule.includes('.default(') && !rule.includes('.optional(')) required.add(name);
  }
  const port = /CP_PORT:[^\n]*\.default\((\d+)\)/.exec(body);
  return { all, required, portVariable: 'CP_PORT', defaultPort: Number(port?.[1]) };
}

/** Data plane: the names given to its str/int/bool readers and any direct `env.NAME`; required = str() without fallback. */
export function dataPlaneEnv(): ServiceEnv {
  const src = readFileSync(join(repoRoot, 'data-plane/src/config.ts'), 'utf8');
  const all = new Set<string>();
  const required = new Set<string>();
  for (const [, fn, name, rest] of src.matchAll(/\b(str|int|bool)\('([A-Z][A-Z0-9_]*)'(\)|,)/g)) {
    all.add(name);
    if (fn === 'str' && rest === ')') required.add(name);
  }
  for (const [, name] of src.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) all.add(name);
  const port = /int\('DP_PORT', (\d+)/.exec(src);
  return { all, required, portVariable: 'DP_PORT', defaultPort: Number(port?.[1]) };
}

/** The health endpoints both services serve (README "Running the services yourself"). */
export const probes = { liveness: '/healthz', readiness: '/readyz' } as const;
