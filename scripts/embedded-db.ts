// The quick start's PostgreSQL as a process of its own: `node scripts/embedded-db.ts --dir D --port P`.
// Started detached, so a terminal's Ctrl-C reaches only the orchestrator, which stops the database last.
import { parseArgs } from 'node:util';
import { startEmbeddedDb } from './lib/embedded-db.ts';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, port: { type: 'string' } },
  strict: true,
});
const port = Number(values.port);
if (!values.dir || !Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write('usage: embedded-db.ts --dir DIR --port PORT\n');
  process.exit(2);
}

// PostgreSQL's own messages are kept quiet unless the start fails; then they say why.
const recent: string[] = [];
const log = (line: string) => {
  recent.push(line);
  if (recent.length > 40) recent.shift();
};
const db = await startEmbeddedDb({ dir: values.dir, port, log }).catch((err: unknown) => {
  const why = err instanceof Error ? err.message : 'PostgreSQL exited during start';
  process.stderr.write(`embedded PostgreSQL failed to start: ${why}\n${recent.join('\n')}\n`);
  process.exit(1);
});
process.stdout.write(`${JSON.stringify({ msg: 'ready', adminUrl: db.adminUrl })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  db.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`stopping PostgreSQL failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
