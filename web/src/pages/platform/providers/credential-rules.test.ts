// The credential form's client rules accept what the control plane accepts and reject what it rejects.
import { describe, expect, it } from 'vitest';
import { apiKeyError, baseUrlError, credentialNameError, providerLabel, usedByLabel } from './credential-rules';

describe('credential rules', () => {
  it('name: required, at most 200 characters', () => {
    expect(credentialNameError('  ')).toBe('Name is required.');
    expect(credentialNameError('openai-prod')).toBeUndefined();
    expect(credentialNameError('x'.repeat(201))).toMatch(/at most 200/);
  });

  it('base URL: absolute http(s), no user info, query or fragment', () => {
    expect(baseUrlError('https://api.openai.com/v1')).toBeUndefined();
    expect(baseUrlError(' http://127.0.0.1:8080 ')).toBeUndefined();
    expect(baseUrlError('')).toBe('Base URL is required.');
    expect(baseUrlError('api.openai.com/v1')).toMatch(/absolute/);
    expect(baseUrlError('ftp://files.example.com')).toMatch(/http or https/);
    expect(baseUrlError('https://user:pw@api.example.com')).toMatch(/username or password/);
    expect(baseUrlError('https://api.example.com/v1?key=1')).toMatch(/query string/);
    expect(baseUrlError('https://api.example.com/v1#x')).toMatch(/fragment/);
  });

  it('API key: required, no whitespace or control characters, bounded', () => {
    expect(apiKeyError('sk-abc123')).toBeUndefined();
    expect(apiKeyError('  sk-abc123  ')).toBeUndefined();
    expect(apiKeyError(' ')).toBe('API key is required.');
    expect(apiKeyError('sk abc')).toMatch(/spaces/);
    expect(apiKeyError('sk-\u0007')).toMatch(/control/);
    expect(apiKeyError('k'.repeat(4097))).toMatch(/at most 4096/);
  });

  it('labels', () => {
    expect(providerLabel('OPENAI')).toBe('OpenAI');
    expect(providerLabel('OTHER')).toBe('OTHER');
    expect(usedByLabel([])).toBe('Not used by any model');
    expect(usedByLabel(['a', 'b'])).toBe('a, b');
    expect(usedByLabel(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});
