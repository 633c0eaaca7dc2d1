#!/usr/bin/env node
// gw-loadtest: fires chat requests at OpenAI- or Anthropic-compatible URLs and prints what it measured.
import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { type Options, OptionsError, parseOptions, type Target, usage } from './options.ts';
import { formatReport } from './report.ts';
import type { Recorder, TargetResult } from './result.ts';
import { type Progress, type RunControl, runTarget } from './run.ts';

/** A bar on stderr (cli-progress draws only on a terminal): by request count, else by elapsed time. */
function progressBar(o: Options, target: Target): { progress: Progress; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${target.name} [{bar}] {percentage}% | {value}/{total} {unit} | ok {ok} failed {failed} | {rps} req/s`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const byCount = o.requests !== null;
  const total = byCount ? (o.requests as number) : Math.ceil((o.durationMs as number) / 1000);
  bar.start(total, 0, { unit: byCount ? 'requests' : 's', ok: 0, failed: 0, rps: 0 });
  return {
    progress: {
      tick(r: Recorder, elapsedMs: number) {
        const done = r.ok + r.failed;
        const value = byCount ? done : Math.min(total, Math.floor(elapsedMs / 1000));
        const rps = elapsedMs > 0 ? Math.round((done / elapsedMs) * 10_000) / 10 : 0;
        bar.update(value, { ok: r.ok, failed: r.failed, rps });
      },
    },
    stop: () => bar.stop(),
  };
}

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (e) {
    const problems = e instanceof OptionsError ? e.problems : [(e as Error).message];
    process.stderr.write(`${problems.map((p) => `error: ${p}`).join('\n')}\n\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const o = options;
  const control: RunControl = { stopped: false };
  // First Ctrl-C: stop sending, let requests in flight finish, report. Second: leave at once.
  process.on('SIGINT', () => {
    if (control.stopped) process.exit(130);
    control.stopped = true;
    process.stderr.write('\nstopping: waiting for the requests in flight (Ctrl-C again to quit now)\n');
  });

  const results: TargetResult[] = [];
  for (const target of o.targets) {
    if (control.stopped) break;
    const bar = o.progress && process.stderr.isTTY ? progressBar(o, target) : undefined;
    try {
      results.push(await runTarget(target, o, control, bar?.progress));
    } finally {
      bar?.stop();
    }
  }

  const json = `${JSON.stringify({ results }, null, 2)}\n`;
  if (o.jsonPath === '-') process.stdout.write(json);
  else {
    process.stdout.write(`${formatReport(results)}\n`);
    if (o.jsonPath) writeFileSync(o.jsonPath, json);
  }
  if (o.minSuccess !== null && results.some((r) => r.successRate < (o.minSuccess as number))) return 1;
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
