// How every benchmark ends: its raw figures in test-results/, and an exit code that says whether the run itself
// worked (0 whatever the figures; 1 with the error when it failed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.ts';

/** Writes `figures` as test-results/<name>.json and returns its path. */
export function writeRawFigures(name: string, figures: unknown): string {
  const outDir = join(repoRoot, 'test-results');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(figures, null, 2)}\n`);
  return path;
}

/** Runs a benchmark's `main` and exits: 0 once it ran, 1 (printing the error) when it failed. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}
