// How hard the fuzzers run: a fixed seed and a bounded count in the suite; FUZZ_RUNS, FUZZ_SEED and FUZZ_PATH
// (fast-check's replay path, printed with every failure) for longer runs and for replaying a failure.
import fc from 'fast-check';

function intFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer (got "${raw}")`);
  return n;
}

/** The suite's seed: any fixed value works; a fixed one makes a red run reproducible from its log alone. */
export const defaultSeed = 7_2026;

const seed = intFromEnv('FUZZ_SEED') ?? defaultSeed;
const runsOverride = intFromEnv('FUZZ_RUNS');
const path = process.env.FUZZ_PATH?.trim() || undefined;

/** Runs of a property: its suite default, or FUZZ_RUNS. */
export function fuzzRuns(suiteDefault: number): number {
  return runsOverride ?? suiteDefault;
}

/** Test timeout for a property of `runs` runs at up to `msPerRun` each, plus shrinking and the closing checks. */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return 120_000 + runs * msPerRun;
}

/** fast-check parameters for a property of `runs` runs (shrinking is bounded by FuzzCheck). */
export function fuzzParameters<T>(runs: number): fc.Parameters<T> {
  return { seed, numRuns: runs, path };
}

/** FUZZ_SURVEY=1: record every failure and keep going, to list each distinct kind once at the end. */
const survey = process.env.FUZZ_SURVEY === '1' || process.env.FUZZ_SURVEY === 'true';

/**
 * A failure's kind: its problem lines (the details after them, indented, vary from input to input) with quoted
 * text, ids and numbers blanked, so that "Unexpected Name \"a\"" and "Unexpected Name \"b\"" count as one.
 */
function kindOf(message: string): string {
  const lines = message.split('\n').filter((line) => !line.startsWith('  '));
  return [...new Set(lines)]
    .join('\n')
    .replace(/Syntax Error: .*/g, 'Syntax Error: …')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\\?"(?:[^"\\]|\\.)*\\?"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 600);
}

/**
 * Runs each check of a property. Normally a failure fails the run, and shrinking stops after `shrinkMs`: every
 * candidate is a real request, and a known bug should not keep CI busy for minutes; once the budget is spent each
 * further candidate passes at once, so fast-check reports the smallest counterexample found so far. With FUZZ_SURVEY=1 no run fails: each distinct kind of
 * failure is kept with its shortest input, and `finish()` fails listing them all.
 */
export class FuzzCheck<T> {
  private failedAt: number | undefined;
  private readonly kinds = new Map<string, { count: number; input: string; message: string }>();

  private readonly shrinkMs: number;

  constructor(shrinkMs = 20_000) {
    this.shrinkMs = shrinkMs;
  }

  async run(input: T, check: () => Promise<void>): Promise<void> {
    if (this.failedAt !== undefined && performance.now() - this.failedAt > this.shrinkMs) return;
    try {
      await check();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!survey) {
        this.failedAt ??= performance.now();
        throw e;
      }
      const kind = kindOf(message);
      const shown = fc.stringify(input);
      const known = this.kinds.get(kind);
      if (!known || shown.length < known.input.length) this.kinds.set(kind, { count: 0, input: shown, message });
      const entry = this.kinds.get(kind)!;
      entry.count = (known?.count ?? 0) + 1;
    }
  }

  /** In a survey, fails listing every kind of failure seen (with how often and the shortest input); else no-op. */
  finish(): void {
    if (this.kinds.size === 0) return;
    const list = [...this.kinds.values()].map(
      (k, i) => `#${i + 1} (${k.count}×) ${k.message.slice(0, 1_500)}\n   shortest input: ${k.input.slice(0, 2_000)}`,
    );
    throw new Error(`${this.kinds.size} kinds of failure:\n${list.join('\n\n')}`);
  }
}
