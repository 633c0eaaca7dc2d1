// Fuzzes the data plane over raw HTTP: random bodies, headers, keys, methods and paths against the real process.
// A run fails on a 5xx, an answer outside the OpenAI error shape, an error-level log line, a crash or a hang; the
// usage record of every metered request must reach PostgreSQL, and a normal request's still does afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type DataPlaneInput, dataPlaneInput } from './data-plane-inputs.ts';
import { runDataPlaneInput } from './data-plane-run.ts';
import { foundInDataPlane } from './found.ts';
import { expectNothingBroke, type FuzzStack, startFuzzStack } from './fuzz-stack.ts';
import { FuzzCheck, fuzzParameters, fuzzRuns, fuzzTimeout } from './settings.ts';

const runs = fuzzRuns(1000);
let f: FuzzStack;

beforeAll(async () => {
  f = await startFuzzStack('fuzz-dp');
});
afterAll(() => f?.stop());

/** What was sent, for reports: the input with long strings shortened. */
function describeInput(input: DataPlaneInput): string {
  const text = fc.stringify(input);
  return text.length > 1_500 ? `${text.slice(0, 1_500)}… (${text.length} chars)` : text;
}

describe('what fuzzing the data plane found', () => {
  it.each(foundInDataPlane)('$name', async ({ input }) => {
    await runDataPlaneInput(f, input);
  });
});

describe('data plane fuzzing', () => {
  const metered = new Map<string, DataPlaneInput>();

  it(
    `answers ${runs} random requests with no 5xx, no error log and the OpenAI error shape`,
    async () => {
      const checks = new FuzzCheck<DataPlaneInput>();
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(dataPlaneInput, (input) =>
          checks.run(input, async () => {
            const requestId = await runDataPlaneInput(f, input);
            if (requestId) metered.set(requestId, input);
          }),
        ),
        fuzzParameters(runs),
      );
      console.log(
        `data plane fuzz: ${runs} runs in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
          `${metered.size} metered`,
      );
      checks.finish();
    },
    fuzzTimeout(runs, 200),
  );

  it('leaves every process up, no error-level line behind, and usage flowing', async () => {
    await expectNothingBroke(f, {
      meteredIds: [...metered.keys()],
      inputOf: (id) => {
        const input = metered.get(id);
        return input && describeInput(input);
      },
    });
  });
});
