// Load generator process for the scale benchmark: `GET /v1/models` at a fixed rate (open loop, a fixed schedule)
// until its stdin closes, then prints every request as one JSON line: [sent at (epoch ms), latency ms, status].
// A process of its own, so the benchmark's other clients never delay its timers or its responses.
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

export type Sample = [sentAt: number, latencyMs: number, status: number];

const { values } = parseArgs({
  options: { url: { type: 'string' }, key: { type: 'string' }, rate: { type: 'string', default: '200' } },
  strict: true,
});
if (!values.url || !values.key) {
  process.stderr.write('usage: steady-load.ts --url http://host:port --key SECRET [--rate R]\n');
  process.exit(2);
}

const origin = new URL(values.url).origin;
const rate = Number(values.rate);
const headers = { authorization: `Bearer ${values.key}` };
const pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
const now = () => performance.timeOrigin + performance.now();
const samples: Sample[] = [];
let inFlight = 0;
let stopping = false;

async function one(): Promise<void> {
  const sentAt = now();
  inFlight++;
  let status = 0;
  try {
    const res = await pool.request({ method: 'GET', path: '/v1/models', headers });
    status = res.statusCode;
    await res.body.dump();
  } catch {
    status = 0;
  } finally {
    inFlight--;
    samples.push([sentAt, now() - sentAt, status]);
  }
}

// Request n is due at start + n / rate; a late timer sends every request already due (no coordinated omission).
const start = now();
let sent = 0;
function tick(): void {
  if (stopping) return;
  const due = Math.floor(((now() - start) * rate) / 1000) + 1;
  while (sent < due) {
    sent++;
    void one();
  }
  setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - now()));
}
tick();

process.stdin.resume();
process.stdin.on('end', async () => {
  stopping = true;
  const deadline = now() + 10_000;
  while (inFlight > 0 && now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await pool.close().catch(() => {});
  process.stdout.write(`${JSON.stringify(samples)}\n`, () => process.exit(0));
});
