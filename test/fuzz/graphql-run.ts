// One GraphQL fuzz run per transport: send, then check the answer and the control plane's own log lines. Each
// throws with every problem found.
import { type FuzzStack, failOn, runProblems } from './fuzz-stack.ts';
import type { GeneratedOperation } from './graphql-documents.ts';
import { errorProblems, type GraphQLInput, httpCodes, httpProblems, sendHttp } from './graphql-requests.ts';
import type { WsMessage } from './graphql-ws-inputs.ts';
import { type Closed, isClosed, WsSession } from './graphql-ws-session.ts';

const excerpt = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}…` : text);

/** The limit refusals every transport must apply alike (issue 7, point 3). */
const limitCodes = new Set(['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY']);

/** Close codes that say the client was at fault (graphql-ws's 44xx), or a normal close. */
const clientFaultCloses = new Set([1000, 4400, 4401, 4403, 4406, 4408, 4409, 4429]);

export async function runHttpInput(f: FuzzStack, input: GraphQLInput): Promise<void> {
  const mark = f.watch.mark();
  const answer = await sendHttp(f.stack.cp.graphqlUrl, f.orgAdmin.token, input);
  failOn(
    [...httpProblems(answer, input), ...(await runProblems(f, mark, { process: 'control plane' }))],
    `answer: HTTP ${answer.status} ${excerpt(answer.text)}`,
  );
}

/** The org admin's graphql-ws connection, opened again whenever the server closed it. */
export class AdminSocket {
  private session: WsSession | undefined;
  private next = 0;
  private readonly f: FuzzStack;

  constructor(f: FuzzStack) {
    this.f = f;
  }

  async get(): Promise<WsSession> {
    if (this.session && !this.session.closed) return this.session;
    const opened = await WsSession.open(this.f.stack.cp.graphqlUrl, {
      authorization: `Bearer ${this.f.orgAdmin.token}`,
    });
    if (isClosed(opened)) throw new Error(`the org admin's websocket was refused: ${JSON.stringify(opened)}`);
    this.session = opened;
    return opened;
  }

  nextId(): string {
    this.next += 1;
    return String(this.next);
  }

  close(): void {
    this.session?.close();
  }
}

/**
 * Runs `op` over graphql-ws: no internal error, no close, no error line; and a query HTTP refuses for depth or
 * cost must be refused the same way here.
 */
export async function runWsOperation(
  f: FuzzStack,
  socket: AdminSocket,
  op: GeneratedOperation,
  opts: { expectAnswer?: boolean } = {},
): Promise<void> {
  const mark = f.watch.mark();
  const ws = await socket.get();
  const payload = { query: op.document, variables: op.variables };
  // expectAnswer: wait for `complete` or `error` even for a subscription (one the server must refuse).
  const subscription = op.kind === 'subscription' && !opts.expectAnswer;
  const outcome = await ws.execute(socket.nextId(), payload, {
    subscription,
    timeoutMs: opts.expectAnswer ? 5_000 : undefined,
  });
  const problems = await runProblems(f, mark, { process: 'control plane' });
  if (isClosed(outcome)) {
    failOn([`the server closed the websocket: ${outcome.code} ${outcome.reason}`, ...problems], '');
    return;
  }
  const errors = [...(outcome.error ?? []), ...outcome.results.flatMap((r) => r.errors ?? [])];
  problems.push(...errorProblems(errors));
  if (op.kind === 'query') {
    const http = await sendHttp(f.stack.cp.graphqlUrl, f.orgAdmin.token, { caller: 'org-admin', op, framing: 'json' });
    const refused = httpCodes(http).filter((c) => limitCodes.has(c));
    const wsCodes = new Set(errors.map((e) => String(e.extensions?.code)));
    const missing = refused.filter((c) => !wsCodes.has(c));
    if (missing.length) problems.push(`HTTP refused it with ${missing.join(', ')}; graphql-ws did not`);
  }
  failOn(problems, `outcome: ${excerpt(JSON.stringify(outcome))}`);
}

export interface WsProtocolInput {
  init: unknown;
  messages: WsMessage[];
}

/** A handshake with `init`, then raw `messages`: the server may refuse or close, but only as the client's fault. */
export async function runWsProtocol(f: FuzzStack, x: WsProtocolInput): Promise<void> {
  const mark = f.watch.mark();
  const opened = await WsSession.open(f.stack.cp.graphqlUrl, x.init);
  let closed: Closed | undefined;
  if (isClosed(opened)) closed = opened;
  else {
    try {
      for (const m of x.messages) opened.sendRaw(m.raw);
      await Promise.race([opened.barrier('barrier'), opened.closedWithin(10_000)]);
      closed = opened.closed;
    } finally {
      opened.terminate();
    }
  }
  const unexpected = closed && !clientFaultCloses.has(closed.code) ? [`closed with ${closed.code}`] : [];
  failOn(
    [...unexpected, ...(await runProblems(f, mark, { process: 'control plane' }))],
    `closed: ${JSON.stringify(closed)}`,
  );
}
