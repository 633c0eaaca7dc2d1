// Steady chat traffic through data planes with the openai client, keeping the x-request-id of every answer seen.
import OpenAI from 'openai';
import { sleep } from '../harness/wait.ts';

export interface TrafficTarget {
  label: string;
  client: OpenAI;
}

export interface Traffic {
  /** x-request-id of every answer a client received (errors included), in completion order. */
  ids: string[];
  /** performance.now() when each id's answer headers arrived. */
  answeredAt: Map<string, number>;
  /** Calls that did not end in the expected completion, with their target and error. */
  failures: string[];
  /** Stops issuing calls and waits for the ones in flight. */
  stop(): Promise<void>;
}

export interface TrafficOptions {
  /** Sequential callers per target. */
  workers?: number;
  /** Pause between one caller's calls. */
  pauseMs?: number;
  model?: string;
  /** Upper bound on calls per caller, so that a test can never loop forever. */
  maxCallsPerWorker?: number;
}

/** Reads the request id from the response headers, and checks the SDK saw the same. */
function headerId(response: Response, sdkId: string | null | undefined): string {
  const id = response.headers.get('x-request-id');
  if (!id) throw new Error(`answer without x-request-id (HTTP ${response.status})`);
  if (sdkId !== id) throw new Error(`SDK request id ${sdkId} differs from the header ${id}`);
  return id;
}

/** One completion (every third one streamed); pushes its id as soon as the headers are in. */
async function call(client: OpenAI, model: string, n: number, seen: (id: string) => void): Promise<void> {
  const content = `traffic call ${n}`;
  const messages = [{ role: 'user' as const, content }];
  let id: string | undefined;
  try {
    if (n % 3 === 0) {
      const { data, response, request_id } = await client.chat.completions
        .create({ model, messages, stream: true })
        .withResponse();
      id = headerId(response, request_id);
      seen(id);
      let text = '';
      for await (const c of data) text += c.choices[0]?.delta.content ?? '';
      if (text !== `You said: ${content}`) throw new Error(`unexpected stream text: ${text}`);
    } else {
      const { data, response, request_id } = await client.chat.completions.create({ model, messages }).withResponse();
      id = headerId(response, request_id);
      seen(id);
      const text = data.choices[0].message.content;
      if (text !== `You said: ${content}`) throw new Error(`unexpected text: ${text}`);
    }
  } catch (e) {
    // An error answer from the data plane is metered too: it counts as seen.
    if (id === undefined && e instanceof OpenAI.APIError && e.requestID) seen(e.requestID);
    throw e;
  }
}

export function startTraffic(targets: TrafficTarget[], opts: TrafficOptions = {}): Traffic {
  const { workers = 2, pauseMs = 5, model = 'gpt-fixture', maxCallsPerWorker = 5_000 } = opts;
  const ids: string[] = [];
  const answeredAt = new Map<string, number>();
  // Every answer is pushed, so that two calls sharing an id show up as a repeated id.
  const seen = (id: string) => {
    if (!answeredAt.has(id)) answeredAt.set(id, performance.now());
    ids.push(id);
  };
  const failures: string[] = [];
  let running = true;
  let seq = 0;
  const loops = targets.flatMap((t) =>
    Array.from({ length: workers }, async () => {
      for (let i = 0; running && i < maxCallsPerWorker; i += 1) {
        const n = seq++;
        try {
          await call(t.client, model, n, seen);
        } catch (e) {
          failures.push(`${t.label} call ${n}: ${e instanceof Error ? e.message : String(e)}`);
        }
        await sleep(pauseMs);
      }
    }),
  );
  return {
    ids,
    answeredAt,
    failures,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
