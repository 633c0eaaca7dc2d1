// Shared lifecycle for API test files: one fresh database and one app per file, and no unexpected error logs.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Config } from '../config.ts';
import { startTestApp, type TestApp, testConfig } from './test-app.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface Suite {
  app: TestApp;
  db: TestDatabase;
  /** Error logs a test provoked on purpose; cleared after each test. */
  expectErrorLogs(count: number): void;
}

export function useApiSuite(overrides: Partial<Config> = {}): Suite {
  const suite = {} as Suite;
  let allowed = 0;
  beforeAll(async () => {
    suite.db = await createTestDatabase();
    suite.app = await startTestApp(testConfig(suite.db.url, overrides));
  });
  suite.expectErrorLogs = (count) => {
    allowed = count;
  };
  afterEach(() => {
    const errors = suite.app.errorLogs().splice(0);
    suite.app.logs.length = 0;
    const expected = allowed;
    allowed = 0;
    // Like h3/Hono's test habit: an unexpected error in the logs fails the test that caused it.
    if (errors.length !== expected) throw new Error(`unexpected error logs: ${JSON.stringify(errors, null, 2)}`);
  });
  afterAll(async () => {
    await suite.app?.close();
    await suite.db?.drop();
  });
  return suite;
}
