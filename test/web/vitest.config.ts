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
    // Deadlines, never waits: a green run reaches none of them. They leave room for a machine whose cores other work
    // keeps busy, where each step can take several times as long (CI runners, parallel helpers); the browser's own
    // deadlines are in fixtures/browser.ts.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 15_000, interval: 100 } },
    teardownTimeout: 60_000,
  },
});
