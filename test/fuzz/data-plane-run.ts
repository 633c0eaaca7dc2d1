// One data-plane fuzz run: send the input, then check the answer, the data plane's own log lines and, for a
// metered request, that its usage record reached PostgreSQL. Throws with every problem found.
import { answerProblems, isMetered } from './data-plane-answers.ts';
import { type DataPlaneInput, toRawRequest } from './data-plane-inputs.ts';
import { expectUsageRecorded, type FuzzStack, failOn, runProblems } from './fuzz-stack.ts';
import { rawRequest } from './raw-http.ts';

/** Runs `input`; resolves with the request id when the data plane metered it. */
export async function runDataPlaneInput(f: FuzzStack, input: DataPlaneInput): Promise<string | undefined> {
  const mark = f.watch.mark();
  const request = toRawRequest(input, f.keys);
  const res = await rawRequest(f.stack.dps[0].port, request);
  const requestId = res.headers['x-request-id'];
  failOn(
    [...answerProblems(input, request, res), ...(await runProblems(f, mark, { process: 'data plane', requestId }))],
    `answer: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 500)}`,
  );
  if (!isMetered(input, res)) return undefined;
  await expectUsageRecorded(f, requestId, mark);
  return requestId;
}
