// Asserts the one error shape: status, x-should-retry, and exactly {"error":{"message","type","param","code"}}.
import { type ErrorCode, errorCodes } from '@gw/schema';
import { expect } from 'vitest';

export async function expectError(
  res: Response,
  code: ErrorCode,
  param: string | null = null,
): Promise<{ message: string }> {
  const spec = errorCodes[code];
  const text = await res.text();
  expect({ status: res.status, body: text }).toMatchObject({ status: spec.status });
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.headers.get('x-should-retry')).toBe(spec.retry ? 'true' : 'false');
  const body = JSON.parse(text) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error).toMatchObject({ code, type: spec.type, param });
  expect(typeof body.error.message).toBe('string');
  expect(text).not.toMatch(/\bat .*\.ts:\d+/); // never a stack trace
  return { message: body.error.message as string };
}
