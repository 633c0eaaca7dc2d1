// GraphQL over HTTP to the control plane (usage batches, node status), authenticated with the data-plane token.
import { Pool } from 'undici';

export class ControlPlaneError extends Error {
  /** GraphQL `extensions.code`s, when the control plane answered with errors. */
  readonly codes: string[];
  constructor(message: string, codes: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ControlPlaneError';
    this.codes = codes;
  }
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

export class ControlPlaneClient {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #authorization: string;
  readonly #timeoutMs: number;

  constructor(options: { url: string; token: string; timeoutMs?: number }) {
    const url = new URL(options.url);
    this.#pool = new Pool(url.origin, { connections: 4, pipelining: 1, keepAliveTimeout: 30_000 });
    this.#path = `${url.pathname.replace(/\/+$/, '')}/graphql`;
    this.#authorization = `Bearer ${options.token}`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return this.send<T>(JSON.stringify({ query, variables }));
  }

  /** Posts a GraphQL request body that is already JSON (`{"query":…,"variables":…}`). */
  async send<T>(body: string): Promise<T> {
    let status: number;
    let text: string;
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: this.#path,
        headers: { 'content-type': 'application/json', authorization: this.#authorization },
        body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new ControlPlaneError(`control plane unreachable: ${(err as Error).message}`, [], { cause: err });
    }
    let answer: GraphQLAnswer<T>;
    try {
      answer = JSON.parse(text) as GraphQLAnswer<T>;
    } catch {
      throw new ControlPlaneError(`control plane answered HTTP ${status} without JSON`);
    }
    if (answer.errors?.length) {
      const codes = answer.errors.map((e) => e.extensions?.code ?? 'UNKNOWN');
      throw new ControlPlaneError(`control plane error: ${answer.errors[0].message ?? codes[0]}`, codes);
    }
    if (status < 200 || status > 299 || !answer.data)
      throw new ControlPlaneError(`control plane answered HTTP ${status}`);
    return answer.data;
  }

  async close(): Promise<void> {
    await this.#pool.close().catch(() => this.#pool.destroy());
  }
}
