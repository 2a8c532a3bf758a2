/** Error mapping in isolation: msal's error objects (as msal builds them) → one safe line. */
import { ServerError, AuthError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { redact, signInFailure } from '../../src/auth/sign-in-errors.js';
import { CollectionError } from '../../src/errors.js';

const context = {
  flow: 'refresh-token exchange',
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: 'contoso.onmicrosoft.com',
  secrets: ['0.AAAA-refresh-SECRET-token'],
};

/** What msal's ResponseHandler builds from an Entra error body. */
function entra(error: string, code: number, description: string): ServerError {
  const message = `Error(s): ${code} - Timestamp: 2026-11-21 12:00:00Z - Description: AADSTS${code}: ${description} Trace ID: 0b1c Correlation ID: 9f8e Timestamp: 2026-11-21 12:00:00Z - Correlation ID: 9f8e - Trace ID: 0b1c`;
  return new ServerError(error, '9f8e', message, undefined, String(code), 400);
}

describe('signInFailure', () => {
  it('keeps the error, the AADSTS code and the first sentence, and adds advice', () => {
    const error = signInFailure(
      entra('invalid_grant', 700082, 'The refresh token has expired due to inactivity.'),
      context,
    );
    expect(error).toBeInstanceOf(CollectionError);
    expect(error.message).toBe(
      'refresh-token exchange at https://login.microsoftonline.com for tenant contoso.onmicrosoft.com failed: invalid_grant AADSTS700082: The refresh token has expired due to inactivity. — the refresh token expired after inactivity: get a new one (Secure Application Model consent)',
    );
  });

  it('redacts a secret or a token the server echoes back', () => {
    const echoed = entra(
      'invalid_request',
      9002313,
      "Invalid request near '0.AAAA-refresh-SECRET-token' and eyJ0eXAiOiJKV1QifQ.eyJhbXIiOlsicHdkIl19.sig",
    );
    const message = signInFailure(echoed, context).message;
    expect(message).not.toContain('0.AAAA-refresh-SECRET-token');
    expect(message).not.toContain('eyJ0eXAiOiJKV1QifQ');
    expect(message).toContain('[redacted]');
    expect(message).toContain('[token]');
  });

  it('names network failures and timeouts, with the origin only', () => {
    const network = new AuthError('network_error', '', 'Network request failed');
    expect(
      signInFailure(network, {
        ...context,
        lastNetworkFailure: {
          kind: 'unreachable',
          origin: 'https://login.microsoftonline.us',
          reason: 'host name not found (DNS)',
        },
      }).message,
    ).toMatch(
      /failed: cannot reach the sign-in authority https:\/\/login\.microsoftonline\.us: host name not found \(DNS\)$/,
    );
    expect(
      signInFailure(network, {
        ...context,
        lastNetworkFailure: {
          kind: 'timeout',
          origin: 'https://login.microsoftonline.com',
          reason: 'no answer within 30 s',
        },
      }).message,
    ).toMatch(/failed: the sign-in authority https:\/\/login\.microsoftonline\.com gave no answer within 30 s$/);
  });

  it('device-code outcomes in words', () => {
    expect(signInFailure(new AuthError('device_code_expired', ''), context).message).toMatch(/before the code expired/);
    expect(signInFailure(new AuthError('post_request_failed', '', 'authorization_declined'), context).message).toMatch(
      /declined/,
    );
    expect(signInFailure(new AuthError('post_request_failed', '', 'expired_token'), context).message).toMatch(
      /expired before the sign-in/,
    );
  });

  it('anything else is still one line', () => {
    const message = signInFailure(new Error('first line\nsecond line 0.AAAA-refresh-SECRET-token'), context).message;
    expect(message).toBe(
      'refresh-token exchange at https://login.microsoftonline.com for tenant contoso.onmicrosoft.com failed: first line',
    );
  });
});

describe('redact', () => {
  it('replaces every occurrence of each secret and any JWT', () => {
    expect(redact('a s3cr3tvalue b s3cr3tvalue', ['s3cr3tvalue'])).toBe('a [redacted] b [redacted]');
    expect(redact('Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.abc_def-1', [])).toBe('Bearer [token]');
  });
});
