// Assertions on the data plane's error answers: the OpenAI error shape, the contract's status/type per code.
import { type ErrorCode, errorCodes } from '@gw/schema';
import { expect } from 'vitest';

/** Checks status, x-should-retry, the exact body shape `{error:{message,type,param,code}}` and type/status per the contract. */
export async function expectOpenAIError(res: Response, code: ErrorCode, param?: string | null): Promise<void> {
  const text = await res.text();
  const spec = errorCodes[code];
  expect(res.status, `${code}: ${text}`).toBe(spec.status);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  // The SDKs obey this header over their own status rules: retrying a 4xx or a misconfiguration cannot help.
  expect(res.headers.get('x-should-retry'), `${code}: x-should-retry`).toBe(spec.retry ? 'true' : 'false');
  const body = JSON.parse(text) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error).toMatchObject({ code, type: spec.type });
  expect(typeof body.error.message).toBe('string');
  expect((body.error.message as string).length).toBeGreaterThan(0);
  if (param !== undefined) expect(body.error.param).toBe(param);
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack traces
}

/** The error the openai SDK raised: its class, status and the code/type it parsed from the body. */
export async function expectSdkError(
  call: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => Error,
  code: ErrorCode,
): Promise<void> {
  const err = await call.then(
    () => {
      throw new Error(`expected ${code}, the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(errorClass);
  expect(err).toMatchObject({ status: errorCodes[code].status, code, type: errorCodes[code].type });
}
