// What the graphql-ws protocol fuzzer sends: a connection_init payload (the org admin's token, none, or junk) and a
// few messages, well-formed or not.
import fc from 'fast-check';
import { type DocumentOptions, operation } from './graphql-documents.ts';
import { anyJson, deepJson, deepJsonText, oddText } from './odd-values.ts';
import { DeepValue, toJsonText } from './serialize.ts';

/** One frame as sent, printed compactly in counterexamples. */
export class WsMessage {
  readonly raw: string | Buffer;
  private readonly shown: string;

  constructor(raw: string | Buffer, shown: string) {
    this.raw = raw;
    this.shown = shown;
  }

  [fc.toStringMethod](): string {
    return this.shown;
  }
}

export function wsHandshake(token: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ authorization: `Bearer ${token}` }) },
    { weight: 1, arbitrary: fc.constant({ Authorization: `Bearer ${token}` }) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.record({ authorization: fc.oneof(oddText(), anyJson) }) },
    { weight: 1, arbitrary: oddText().map((s) => ({ authorization: `Bearer ${s}` })) },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: deepJson.map((d) => ({ authorization: new DeepValue(d) })) },
  );
}

const types = ['subscribe', 'complete', 'ping', 'pong', 'connection_init', 'connection_ack', 'next', 'error'];

function messageObject(documents: DocumentOptions): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      id: fc.oneof(fc.constantFrom('1', '1', 'x'), oddText(8), anyJson),
      type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...types) }, { weight: 1, arbitrary: anyJson }),
      payload: fc.oneof(
        operation(documents).map((op) => ({ query: op.document, variables: op.variables })),
        fc.record(
          { query: fc.oneof(oddText(), anyJson), variables: anyJson, extensions: anyJson },
          { requiredKeys: [] },
        ),
        anyJson,
        deepJson.map((d) => new DeepValue(d)),
      ),
    },
    { requiredKeys: [] },
  );
}

export function wsMessages(documents: DocumentOptions): fc.Arbitrary<WsMessage[]> {
  const message = fc.oneof(
    { weight: 6, arbitrary: messageObject(documents).map((m) => new WsMessage(toJsonText(m), fc.stringify(m))) },
    { weight: 1, arbitrary: oddText(30).map((s) => new WsMessage(s, fc.stringify(s))) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 40 })
        .map((b) => new WsMessage(Buffer.from(b), `binary ${Buffer.from(b).toString('hex')}`)),
    },
    {
      weight: 1,
      arbitrary: deepJson.map((d) => new WsMessage(deepJsonText(d), `<JSON ${d.depth} levels deep (${d.shape})>`)),
    },
  );
  return fc.array(message, { minLength: 1, maxLength: 4 });
}
