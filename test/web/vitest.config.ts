// Vitest config of the browser journeys: real headless Chromium (one, shared through global-setup.ts) against the
// built web UI, a real control plane on PostgreSQL and, where traffic is needed, a real data plane.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    globalSetup: ['fixtures/global-setup.ts'],
    environment: 'node',
    // One stack per file, started in beforeAll; files run one by one so timings and ports stay honest.
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
