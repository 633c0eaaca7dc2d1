// Vitest for the fuzzers: property-based tests against real processes (PostgreSQL, control plane, data plane,
// fixture), one file at a time; FUZZ_RUNS / FUZZ_SEED / FUZZ_PATH steer them (fuzz/settings.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['fuzz/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
