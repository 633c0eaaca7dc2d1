// JSON for requests that may hold values too deep to build as objects: such a value travels as a marker that
// JSON.stringify writes as a string, replaced afterwards by the deep JSON text itself.
import fc from 'fast-check';
import { type DeepJson, deepJsonText } from './odd-values.ts';

const marker = /"\\u0000deep:(\d+):(array|object|mixed)"/g;

/** A JSON value `deep.depth` levels deep, in a request's variables. */
export class DeepValue {
  readonly deep: DeepJson;

  constructor(deep: DeepJson) {
    this.deep = deep;
  }

  toJSON(): string {
    return `\u0000deep:${this.deep.depth}:${this.deep.shape}`;
  }

  [fc.toStringMethod](): string {
    return `<JSON ${this.deep.depth} levels deep (${this.deep.shape})>`;
  }
}

/** JSON.stringify, with every DeepValue written out in full. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(marker, (_, depth: string, shape: DeepJson['shape']) =>
    deepJsonText({ depth: Number(depth), shape }),
  );
}
