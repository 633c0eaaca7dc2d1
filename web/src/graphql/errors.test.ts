// ApiError.fromWire: the mapping forms rely on to put server messages next to the right field.
import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from './errors';

describe('ApiError.fromWire', () => {
  it('keeps known codes and strips the input path from the field', () => {
    const error = ApiError.fromWire({
      message: 'Slug is taken',
      extensions: { code: 'CONFLICT', field: 'input.slug' },
    });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'slug', message: 'Slug is taken' });
  });

  it('names the input field of an indexed path', () => {
    const error = ApiError.fromWire({
      message: 'bad',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.allowedModels.2' },
    });
    expect(error.field).toBe('allowedModels');
    expect(error.path).toBe('input.allowedModels.2');
    expect(ApiError.fromWire({ message: 'gone', extensions: { code: 'NOT_FOUND', field: 'id' } }).field).toBe('id');
  });

  it('treats unknown or missing codes as an internal error with a generic message', () => {
    expect(ApiError.fromWire({ extensions: { code: 'TEAPOT' } })).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      field: undefined,
    });
    expect(ApiError.fromWire({}).message).toMatch(/went wrong/);
  });

  it('keeps the wait of a throttling refusal', () => {
    const error = ApiError.fromWire({
      message: 'Too many failed logins; try again in 900 s',
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 900 },
    });
    expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 900 });
    expect(ApiError.fromWire({ extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 'soon' } })).toMatchObject({
      retryAfterSeconds: undefined,
      message: 'Too many attempts. Wait a moment and try again.',
    });
  });

  it('ignores empty or non-string fields', () => {
    expect(
      ApiError.fromWire({ message: 'x', extensions: { code: 'BAD_USER_INPUT', field: '' } }).field,
    ).toBeUndefined();
    expect(ApiError.fromWire({ message: 'x', extensions: { code: 'BAD_USER_INPUT', field: 3 } }).field).toBeUndefined();
  });

  it('wraps anything else thrown as a bad response', () => {
    expect(toApiError(new TypeError('boom')).code).toBe('BAD_RESPONSE');
    const original = new ApiError('NOT_FOUND', 'gone');
    expect(toApiError(original)).toBe(original);
  });
});
