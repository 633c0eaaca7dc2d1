// Random GraphQL operations built from the real schema (introspected from the running control plane): fields,
// arguments as literals or variables (right or wrong types), nested selections, aliases, fragments, directives,
// and now and then a document broken on purpose.
import fc from 'fast-check';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { anyJson, deepJson, oddText, Repeated, wrongType } from './odd-values.ts';
import { DeepValue } from './serialize.ts';

type Draw = <T>(arb: fc.Arbitrary<T>) => T;

export interface DocumentOptions {
  schema: GraphQLSchema;
  /** Ids that exist, for ID values. */
  ids: string[];
  /** Root fields never generated (e.g. `logout`, which would end the fuzzing session). */
  skipRootFields?: string[];
}

export interface GeneratedOperation {
  kind: 'query' | 'mutation' | 'subscription';
  document: string;
  variables: Record<string, unknown>;
}

function hasCompositeField(type: GraphQLNamedType): boolean {
  if (isUnionType(type)) return true;
  if (!isObjectType(type) && !isInterfaceType(type)) return false;
  return Object.values(type.getFields()).some((f) => !isLeafType(getNamedType(f.type)));
}

const deepText = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

class Builder {
  private readonly declarations: string[] = [];
  readonly variables: Record<string, unknown> = {};
  private readonly fragments: string[] = [];
  private counter = 0;
  /** Fields still allowed in this document: nesting multiplies them, so a bound keeps documents small. */
  private fieldsLeft = 200;
  private readonly maxDepth: number;
  /**
   * A dive: every selection takes a composite field while it can, down to maxDepth, and makes no mistakes, so
   * that the document is valid and only the depth and cost limits can refuse it.
   */
  private readonly dive: boolean;
  private get clean(): boolean {
    return this.dive;
  }
  private readonly draw: Draw;
  private readonly o: DocumentOptions;

  constructor(draw: Draw, o: DocumentOptions) {
    this.draw = draw;
    this.o = o;
    // Mostly shallow; a dive goes past GRAPHQL_MAX_DEPTH (12) to meet the depth limit on every transport.
    this.dive = this.maybe(20);
    this.maxDepth = this.dive ? this.int(10, 30) : this.pick([3, 2, 4, 5, 8]);
  }

  maybe(percent: number): boolean {
    // `false` first, so that shrinking turns optional features off.
    return this.draw(
      fc.oneof(
        { weight: 100 - percent, arbitrary: fc.constant(false) },
        { weight: percent, arbitrary: fc.constant(true) },
      ),
    );
  }

  /** A deliberate mistake (wrong type, missing value…), never in a dive. */
  private mistake(percent: number): boolean {
    return !this.clean && this.maybe(percent);
  }

  pick<T>(items: readonly T[]): T {
    return this.draw(fc.constantFrom(...items));
  }

  private int(min: number, max: number): number {
    return this.draw(fc.integer({ min, max }));
  }

  private name(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  /** A JSON value for an input type: mostly one the type accepts, sometimes not. */
  value(type: GraphQLInputType, depth = 0): unknown {
    if (this.mistake(6)) return this.draw(wrongType);
    if (isNonNullType(type)) return this.mistake(3) ? null : this.value(type.ofType, depth);
    if (this.mistake(8)) return null;
    if (isListType(type)) {
      // GraphQL coerces a single value to a one-item list; both forms are fair.
      if (this.maybe(15)) return this.value(type.ofType, depth + 1);
      return Array.from({ length: this.int(0, 3) }, () => this.value(type.ofType, depth + 1));
    }
    if (isEnumType(type)) {
      return this.mistake(10) ? this.draw(oddText(12)) : this.pick(type.getValues().map((v) => v.name));
    }
    if (isInputObjectType(type)) {
      const out: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (depth > 3 && !required) continue;
        if (required ? !this.mistake(4) : this.maybe(this.clean ? 10 : 50)) {
          out[field.name] = this.value(field.type, depth + 1);
        }
      }
      if (this.mistake(5)) out[this.draw(oddText(8))] = this.draw(anyJson);
      return out;
    }
    return this.scalar(type.name);
  }

  private scalar(name: string): unknown {
    if (this.clean) return this.cleanScalar(name);
    switch (name) {
      case 'ID':
        return this.draw(
          fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...this.o.ids) },
            { weight: 2, arbitrary: fc.uuid() },
            { weight: 2, arbitrary: oddText() },
            { weight: 1, arbitrary: fc.integer() },
          ),
        );
      case 'Int':
        return this.draw(
          fc.oneof(
            fc.integer({ min: -5, max: 200 }),
            fc.constantFrom(0, -1, 1, 100, 101, 1_000, 2 ** 31 - 1, -(2 ** 31)),
            fc.constantFrom(2 ** 31, 2 ** 53, 1.5),
          ),
        );
      case 'Float':
        return this.draw(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308)));
      case 'Boolean':
        return this.draw(fc.boolean());
      case 'DateTime':
        return this.draw(
          fc.oneof(
            { weight: 4, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                '1970-01-01T00:00:00Z',
                '0000-01-01T00:00:00Z',
                '+275760-09-13T00:00:00.000Z',
                '2026-02-30T00:00:00Z',
                '2026-01-01',
                'now',
                '',
              ),
            },
            { weight: 1, arbitrary: oddText() },
          ),
        );
      case 'JSON':
        return this.draw(
          fc.oneof({ weight: 4, arbitrary: anyJson }, { weight: 1, arbitrary: deepJson.map((d) => new DeepValue(d)) }),
        );
      default:
        // String and any scalar this list does not know.
        return this.draw(
          fc.oneof(
            { weight: 8, arbitrary: oddText() },
            {
              weight: 1,
              arbitrary: fc
                .tuple(fc.constantFrom('a', 'é', '\u0000', '%'), fc.integer({ min: 200, max: 20_000 }))
                .map(([unit, n]) => new Repeated(unit, n)),
            },
            { weight: 1, arbitrary: fc.emailAddress() },
          ),
        );
    }
  }

  /** A value of the scalar any well-behaved client could send. */
  private cleanScalar(name: string): unknown {
    if (name === 'ID') return this.pick(this.o.ids);
    if (name === 'Int') return this.int(1, 100);
    if (name === 'Float') return this.int(0, 100) / 4;
    if (name === 'Boolean') return this.draw(fc.boolean());
    if (name === 'DateTime') return new Date(Date.UTC(2026, 0, this.int(1, 28))).toISOString();
    if (name === 'JSON') return {};
    return this.draw(fc.stringMatching(/^[a-z]{0,8}$/));
  }

  /** The same value written as a GraphQL literal (enum names bare, object keys unquoted). */
  literal(type: GraphQLInputType | undefined, value: unknown): string {
    const named = type ? getNamedType(type) : undefined;
    const inner = type && isNonNullType(type) ? type.ofType : type;
    if (value === null || value === undefined) return 'null';
    if (value instanceof DeepValue) return deepText(value.deep.depth, '[', ']').replace('[]', '[1]');
    if (value instanceof Repeated) return JSON.stringify(value.toJSON());
    if (typeof value === 'string') {
      if (named && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
      return JSON.stringify(value);
    }
    if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
    if (typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) {
      const item = inner && isListType(inner) ? inner.ofType : undefined;
      return `[${value.map((v) => this.literal(item, v)).join(', ')}]`;
    }
    const fields = named && isInputObjectType(named) ? named.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : JSON.stringify(k)}: ${this.literal(fields[k]?.type, v)}`,
    );
    return `{${entries.join(', ')}}`;
  }

  private argument(arg: GraphQLArgument): string | null {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (required ? this.mistake(3) : !this.maybe(this.clean ? 10 : 40)) return null;
    const value = this.value(arg.type);
    if (this.maybe(40)) return `${arg.name}: ${this.literal(arg.type, value)}`;
    const name = this.name('v');
    // Now and then a variable declared with another type than the argument's.
    const declared = this.mistake(5)
      ? this.pick(['Int', 'String!', 'Boolean', '[ID!]!', 'JSON', 'DateTime', 'NoSuchType', String(arg.type)])
      : String(arg.type);
    this.declarations.push(`$${name}: ${declared}`);
    if (!this.mistake(4)) this.variables[name] = value;
    return `${arg.name}: $${name}`;
  }

  private fieldText(field: GraphQLField<unknown, unknown>, depth: number): string {
    const args = field.args.map((a) => this.argument(a)).filter((a): a is string => a !== null);
    if (this.mistake(3)) args.push(`${this.draw(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/))}: 1`);
    const alias = this.maybe(10) ? `${this.name('a')}: ` : '';
    const directive = this.maybe(4) ? ` @${this.pick(['include', 'skip'])}(if: ${this.pick(['true', 'false'])})` : '';
    const call = args.length ? `(${args.join(', ')})` : '';
    return `${alias}${field.name}${call}${directive}${this.selection(getNamedType(field.type), depth + 1)}`;
  }

  /** `{ … }` for a composite type, '' for a leaf (or, rarely, a selection on a leaf, which must be refused). */
  selection(type: GraphQLNamedType, depth: number): string {
    if (isLeafType(type)) return this.mistake(2) ? ' { id }' : '';
    if (isUnionType(type)) {
      const members = type.getTypes();
      return ` { __typename ... on ${this.pick(members).name}${this.selection(this.pick(members), depth)} }`;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) return '';
    const fields = Object.values(type.getFields());
    const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
    const composite = fields.filter((f) => !isLeafType(getNamedType(f.type)));
    // A dive keeps to types it can go on from (PageInfo, say, is a dead end).
    const onward = composite.filter((f) => hasCompositeField(getNamedType(f.type)));
    const usable =
      depth >= this.maxDepth || this.fieldsLeft <= 0
        ? leaves
        : this.dive && (onward.length || composite.length)
          ? onward.length
            ? onward
            : composite
          : fields;
    const parts: string[] = [];
    if (usable.length === 0 || this.maybe(5)) parts.push('__typename');
    // A dive is a chain: one field a level, so that its size grows with its depth, not exponentially.
    for (let i = this.dive ? 1 : this.int(1, 3); i > 0 && usable.length; i -= 1) {
      this.fieldsLeft -= 1;
      parts.push(this.fieldText(this.pick(usable), depth));
    }
    if (leaves.length && this.maybe(2)) {
      // Many aliases of one field: the response grows with them while depth and cost barely do.
      const leaf = this.pick(leaves);
      for (let i = this.int(2, 600); i > 0; i -= 1) parts.push(`x${i}: ${leaf.name}`);
    }
    let body = parts.join(' ');
    if (this.maybe(8)) {
      const fragment = this.name('F');
      this.fragments.push(`fragment ${fragment} on ${type.name} { ${body} }`);
      body = `...${fragment}`;
    } else if (this.maybe(5)) body = `... on ${type.name} { ${body} }`;
    return ` { ${body} }`;
  }

  operation(kind: GeneratedOperation['kind']): string {
    const root =
      kind === 'query'
        ? this.o.schema.getQueryType()
        : kind === 'mutation'
          ? this.o.schema.getMutationType()
          : this.o.schema.getSubscriptionType();
    if (!root) return '{ __typename }';
    const skip = new Set(this.o.skipRootFields ?? []);
    const fields = Object.values(root.getFields()).filter((f) => !skip.has(f.name));
    const count = kind === 'query' ? this.int(1, 2) : 1;
    const selections = Array.from({ length: count }, () => this.fieldText(this.pick(fields), 1));
    const vars = this.declarations.length ? `(${this.declarations.join(', ')})` : '';
    const name = this.maybe(30) ? '' : ' Op';
    const head = vars ? `${kind}${name || ' '}${vars}` : `${kind}${name}`;
    return [`${head} { ${selections.join(' ')} }`, ...this.fragments].join('\n');
  }

  /** Breaks a valid document: cut short, an odd character inserted, or nesting deep enough to strain a parser. */
  broken(document: string): string {
    switch (this.pick(['cut', 'insert', 'deep-selection', 'deep-literal', 'garbage', 'tokens'] as const)) {
      case 'cut':
        return document.slice(0, this.int(0, document.length));
      case 'insert': {
        const at = this.int(0, document.length);
        return document.slice(0, at) + this.draw(oddText(3)) + document.slice(at);
      }
      case 'deep-selection':
        return `{ ${'a { '.repeat(this.int(20, 20_000))}b${' }'.repeat(this.int(20, 20_000))} }`;
      case 'deep-literal':
        return `{ organizations(filter: ${deepText(this.int(20, 20_000), '{a: ', '}')}) { totalCount } }`;
      case 'garbage':
        return this.draw(oddText(60));
      case 'tokens':
        return `{ ${'__typename '.repeat(this.int(1_000, 40_000))}}`;
    }
  }
}

const kinds: GeneratedOperation['kind'][] = ['query', 'query', 'query', 'mutation', 'mutation', 'subscription'];

/**
 * A random operation on `o.schema`: mostly queries, then mutations, then subscriptions (over HTTP these must be
 * refused cleanly); about one in twelve is broken on purpose.
 */
export function operation(o: DocumentOptions): fc.Arbitrary<GeneratedOperation> {
  return fc.gen().map((g) => {
    const b = new Builder((arb) => g(() => arb), o);
    const kind = b.pick(kinds);
    let document = b.operation(kind);
    if (b.maybe(8)) document = b.broken(document);
    return { kind, document, variables: b.variables };
  });
}
