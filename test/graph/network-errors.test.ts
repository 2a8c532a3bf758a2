/** Which failures below HTTP are retried, and how their causes are worded (src/graph/network-errors.ts). */
import { describe, expect, it } from 'vitest';
import { describeCause, hostOf, networkCause } from '../../src/graph/network-errors.js';

const failure = (code: string, message = `some ${code} failure`) => Object.assign(new Error(message), { code });

describe('retry policy', () => {
  it('retries resets, timeouts, broken pipes and anything unknown', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ERR_TLS_HANDSHAKE_TIMEOUT', 'EWHATEVER']) {
      expect(networkCause(failure(code)).retry, code).toBe('yes');
    }
    expect(networkCause(new Error('connection closed before the body was complete')).retry).toBe('yes');
  });

  it('retries a temporary DNS failure only briefly', () => {
    expect(networkCause(failure('EAI_AGAIN')).retry).toBe('briefly');
  });

  it('never retries names that do not resolve, refused connections, unreachable hosts, certificates, non-TLS', () => {
    const never = [
      'ENOTFOUND',
      'ECONNREFUSED',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_HAS_EXPIRED',
      'CERT_NOT_YET_VALID',
      'CERT_REVOKED',
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      'EPROTO',
    ];
    for (const code of never) expect(networkCause(failure(code)).retry, code).toBe('never');
  });

  it('finds the code of a wrapped error and of a dual-stack connect (AggregateError)', () => {
    expect(networkCause(new Error('fetch failed', { cause: failure('ENOTFOUND') })).code).toBe('ENOTFOUND');
    const both = new AggregateError([failure('ECONNREFUSED'), failure('ECONNREFUSED')], 'connect failed');
    expect(networkCause(both)).toMatchObject({ code: 'ECONNREFUSED', retry: 'never' });
  });
});

describe('wording', () => {
  it('names the cause in words with the code', () => {
    const say = (code: string) => describeCause(networkCause(failure(code)));
    expect(say('ENOTFOUND')).toBe('the name does not resolve (ENOTFOUND)');
    expect(say('ECONNREFUSED')).toBe('connection refused (ECONNREFUSED)');
    expect(say('EAI_AGAIN')).toBe('the name could not be resolved for now (EAI_AGAIN, a temporary DNS failure)');
    expect(say('ERR_TLS_CERT_ALTNAME_INVALID')).toBe(
      "the server's TLS certificate is not valid for this name (ERR_TLS_CERT_ALTNAME_INVALID)",
    );
    expect(say('UNABLE_TO_GET_ISSUER_CERT_LOCALLY')).toBe(
      "the server's TLS certificate is not trusted (UNABLE_TO_GET_ISSUER_CERT_LOCALLY; NODE_EXTRA_CA_CERTS adds a CA)",
    );
    expect(say('CERT_HAS_EXPIRED')).toBe("the server's TLS certificate has expired (CERT_HAS_EXPIRED)");
    expect(say('ECONNRESET')).toBe('connection reset (ECONNRESET)');
  });

  it('keeps the message of an unknown failure, with its code once', () => {
    expect(describeCause(networkCause(failure('EODD', 'read EODD')))).toBe('read EODD');
    expect(describeCause(networkCause(failure('EODD', 'odd')))).toBe('odd (EODD)');
    expect(describeCause(networkCause(new Error('no response')))).toBe('no response');
  });

  it('names hosts with their port when it is not 443, never a path or query', () => {
    expect(hostOf('https://graph.microsoft.com/v1.0/users?$skiptoken=x')).toBe('graph.microsoft.com');
    expect(hostOf('https://127.0.0.1:4431/v1.0/users')).toBe('127.0.0.1:4431');
  });
});
