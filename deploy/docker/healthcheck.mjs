// Container health check without curl: exits 0 when the URL answers 2xx within 2 s, else 1.
// `node healthcheck.mjs http://127.0.0.1:4000/readyz`, or a path (`/readyz`) on 127.0.0.1 at $CP_PORT / $DP_PORT.
const arg = process.argv[2] ?? '/readyz';
const port = process.env.CP_PORT ?? process.env.DP_PORT ?? '8080';
const url = arg.startsWith('http') ? arg : `http://127.0.0.1:${port}${arg}`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
