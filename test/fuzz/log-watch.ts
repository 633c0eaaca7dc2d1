// Watches the processes under fuzzing: every error-level (or unparsable) log line they print, and whether they died.
import type { ManagedProcess } from '../harness/process.ts';

export interface LogProblem {
  /** Process label, e.g. `control plane`. */
  process: string;
  /** The line as printed; a plain-text report keeps its indented continuation lines (a stack) with it. */
  line: string;
  /** Message and error, without the stack: what tells two failures apart. */
  summary: string;
  /** Not a JSON log line. */
  plain: boolean;
  /** The line's `requestId`, when it has one: maps a late line (usage ingestion) back to the input that caused it. */
  requestId: string | undefined;
}

/** pino's numeric levels: 50 = error, 60 = fatal. */
const errorLevel = 50;

interface Entry {
  level?: unknown;
  requestId?: unknown;
  msg?: unknown;
  reason?: unknown;
  err?: { type?: unknown; message?: unknown };
}

function problemOf(line: string): Omit<LogProblem, 'process' | 'line'> | null {
  if (line.trim() === '') return null;
  const plain = { requestId: undefined, summary: line.trim(), plain: true };
  let entry: Entry;
  try {
    entry = JSON.parse(line);
  } catch {
    // Both services log JSON only: anything else is a crash report or a library's stray console.error.
    return plain;
  }
  if (typeof entry !== 'object' || entry === null) return plain;
  if (typeof entry.level !== 'number' || entry.level < errorLevel) return null;
  const err = entry.err ? ` (${entry.err.type}: ${entry.err.message})` : '';
  const reason = entry.reason ? ` (${entry.reason})` : '';
  return {
    requestId: typeof entry.requestId === 'string' ? entry.requestId : undefined,
    summary: `${entry.msg}${err}${reason}`,
    plain: false,
  };
}

export class LogWatch {
  private readonly problems: LogProblem[] = [];
  private readonly stops: (() => void)[] = [];

  private readonly watched: { label: string; process: ManagedProcess }[];

  constructor(watched: { label: string; process: ManagedProcess }[]) {
    this.watched = watched;
    for (const { label, process } of watched) {
      this.stops.push(
        process.onLine((line) => {
          const last = this.problems.at(-1);
          // An indented plain-text line (a stack trace) or a lone closing brace continues the report before it.
          if (/^(\s+\S|[}\]]$)/.test(line) && last?.plain && last.process === label) {
            last.line += `\n${line}`;
            return;
          }
          const found = problemOf(line);
          if (found) this.problems.push({ process: label, line, ...found });
        }),
      );
    }
  }

  /** Resolves with the first line of `label` from now on that passes `test`; rejects after `timeoutMs`. */
  nextLine(label: string, test: (line: string) => boolean, timeoutMs: number): Promise<string> {
    const watched = this.watched.find((w) => w.label === label);
    if (!watched) return Promise.reject(new Error(`no watched process ${label}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`${label} printed no expected line within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = watched.process.onLine((line) => {
        if (!test(line)) return;
        clearTimeout(timer);
        stop();
        resolve(line);
      });
    });
  }

  /** A position to ask `since` about. */
  mark(): number {
    return this.problems.length;
  }

  since(mark: number): LogProblem[] {
    return this.problems.slice(mark);
  }

  all(): LogProblem[] {
    return [...this.problems];
  }

  /** Labels of watched processes that are no longer running, with their last output. */
  dead(): string[] {
    return this.watched
      .filter((w) => !w.process.running)
      .map((w) => `${w.label} is not running; last output:\n${w.process.tail(20)}`);
  }

  stop(): void {
    for (const stop of this.stops) stop();
  }
}

/**
 * Lets output already in the pipe reach the watch (two turns of the event loop). The services log asynchronously
 * (pino's default stream), so a line may still come later: see controlPlaneBarrier for a run that must be sure.
 */
export async function drainOutput(): Promise<void> {
  for (let i = 0; i < 2; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** One line per problem: the process and the summary (the full line is in the process's log file). */
export function summarize(problems: LogProblem[]): string[] {
  return problems.map(
    (p) => `${p.process} logged: ${p.summary.length > 500 ? `${p.summary.slice(0, 500)}…` : p.summary}`,
  );
}
