// Pure helpers of the scale benchmark: which requests overlapped a config change, and their latency figures.
import { type Summary, summarize } from '../bench/stats.ts';

/** [sent at (epoch ms), latency ms, HTTP status or 0 for a network error], as steady-load.ts reports them. */
export type Sample = [sentAt: number, latencyMs: number, status: number];

/** A stretch of time (epoch ms) in which the data plane took a change in. */
export interface Window {
  start: number;
  end: number;
}

export interface Split {
  during: Sample[];
  outside: Sample[];
}

/** Splits requests into those whose [sent, answered] overlaps any window, and the rest. */
export function splitByWindows(samples: Sample[], windows: Window[]): Split {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const during: Sample[] = [];
  const outside: Sample[] = [];
  for (const s of samples) {
    const from = s[0];
    const to = s[0] + s[1];
    const hit = sorted.some((w) => from < w.end && to > w.start);
    (hit ? during : outside).push(s);
  }
  return { during, outside };
}

export interface LatencyFigures extends Summary {
  count: number;
  /** Requests that did not get a 2xx (or no answer at all). */
  errors: number;
  /** Requests that took longer than the threshold. */
  over: number;
}

export function latencyFigures(samples: Sample[], overMs: number): LatencyFigures {
  return {
    ...summarize(samples.map((s) => s[1])),
    count: samples.length,
    errors: samples.filter((s) => s[2] < 200 || s[2] >= 300).length,
    over: samples.filter((s) => s[1] > overMs).length,
  };
}
