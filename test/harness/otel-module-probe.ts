// Preloaded into a process under test (NODE_OPTIONS=--import <this file>; never imported by a test itself): says once
// that it is active, and names each OpenTelemetry package the process loads, once. Tests read those lines from the
// process's output (test/e2e/tracing.test.ts).
import { registerHooks } from 'node:module';

const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const name = /\/node_modules\/(@opentelemetry\/[^/]+)\//.exec(resolved.url)?.[1];
    if (name && !seen.has(name)) {
      seen.add(name);
      process.stderr.write(`otel-module-probe: loaded ${name}\n`);
    }
    return resolved;
  },
});
process.stderr.write('otel-module-probe: active\n');
