import { describe, expect, it } from 'vitest';
import { auditToken } from '../../../src/core/token/audit.js';
import { issuerTenant } from '../../../src/core/token/explain.js';
import { duration, relative, utc } from '../../../src/core/token/time.js';
import type { TokenAuditOptions, TokenResult } from '../../../src/core/token/types.js';
import { FIXTURE_NOW, loadClaims } from '../../helpers/tokens.js';

const options: TokenAuditOptions = { profile: 'partner-center', now: FIXTURE_NOW };
const audit = (name: string, patch: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: 'RS256', kid: 'k' }): TokenResult =>
  auditToken({ header, payload: { ...loadClaims(name), ...patch } }, 0, options);
const meaning = (result: TokenResult, claim: string) => result.explanation?.find((e) => e.claim === claim)?.meaning;

describe('claim explanations', () => {
  it('explains each amr value', () => {
    const m = meaning(audit('pc-v1-app-user-mfa', { amr: ['pwd', 'rsa', 'mfa', 'ngcmfa', 'wiaormfa', 'x'] }), 'amr');
    expect(m).toMatch(/pwd = password/);
    expect(m).toMatch(/mfa = multi-factor/);
    expect(m).toMatch(/ngcmfa = equivalent to 'mfa'/);
    expect(m).toMatch(/wiaormfa = .*proves nothing/);
    expect(m).toMatch(/x = not an Entra amr value/);
  });
  it('explains appidacr, idtyp, ver, tid, iss and the client app', () => {
    const app = audit('pc-v1-app-only');
    expect(meaning(app, 'appidacr')).toMatch(/client secret/);
    expect(meaning(app, 'idtyp')).toMatch(/App-only/);
    const user = audit('pc-v1-app-user-mfa');
    expect(meaning(user, 'ver')).toMatch(/v1\.0/);
    expect(meaning(user, 'appid')).toMatch(/Azure CLI/);
    expect(meaning(user, 'iss')).toContain('6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c');
    expect(meaning(user, 'tid')).toMatch(/tenant/);
    expect(meaning(audit('api-v2-app-user-no-amr'), 'azpacr')).toMatch(/public client/);
  });
  it('names wids roles', () => {
    expect(meaning(audit('pc-v1-global-admin-mfa'), 'wids')).toBe('directory roles: Global Administrator, User (default member role)');
  });
  it('gives iat/nbf/exp in UTC and relative to now', () => {
    const result = audit('pc-v1-app-user-mfa');
    expect(meaning(result, 'iat')).toBe('issued: 2026-11-21T11:30:00Z (30 min ago)');
    expect(meaning(result, 'exp')).toBe('expires: 2026-11-21T12:35:00Z (in 35 min)');
  });
  it('notes a Graph header nonce without showing it', () => {
    const result = audit('graph-v1-app-user-mfa', {}, { alg: 'RS256', kid: 'k', nonce: 'abc123secret' });
    const row = result.explanation?.find((e) => e.claim === 'header.nonce');
    expect(row?.value).toBe('(present)');
    expect(row?.meaning).toMatch(/third parties/);
  });
});

describe('warnings', () => {
  it('warns Global Administrator tokens about Secure Application Model least privilege', () => {
    expect(audit('pc-v1-global-admin-mfa').warnings?.join(' ')).toMatch(/Global Administrator.*Secure Application Model.*least-privileged/);
    expect(audit('pc-v1-app-user-mfa').warnings).toEqual([]);
  });
  it('warns about guest sign-ins and issuer/tid mismatches', () => {
    expect(audit('pc-v1-guest-mfa').warnings?.join(' ')).toMatch(/guest sign-in/);
    expect(audit('pc-v1-app-user-mfa', { tid: '00000000-0000-0000-0000-000000000001' }).warnings?.join(' ')).toMatch(/differs from tid/);
  });
});

describe('what Partner Center would answer', () => {
  it('200 with mfa, 401 MFA required without', () => {
    expect(audit('pc-v1-app-user-mfa').partnerCenter).toMatch(/^200/);
    expect(audit('pc-v1-app-user-password-only').partnerCenter).toMatch(/^401 Unauthorized - MFA required/);
    expect(audit('pc-v1-app-user-no-amr').partnerCenter).toMatch(/MFA required/);
  });
  it('App-only: 200 for App-only APIs; other audiences and expired tokens: 401', () => {
    expect(audit('pc-v1-app-only').partnerCenter).toMatch(/^200 for APIs that support App-only/);
    expect(audit('graph-v1-app-user-mfa').partnerCenter).toMatch(/not a Partner Center token/);
    expect(auditToken({ header: { alg: 'RS256' }, payload: loadClaims('pc-v1-app-user-mfa') }, 0, { ...options, now: new Date('2026-11-22T00:00:00Z') }).partnerCenter).toMatch(/expired/);
  });
});

describe('time helpers', () => {
  it('formats UTC and relative durations', () => {
    expect(utc(1795260600)).toBe('2026-11-21T11:30:00Z');
    expect(duration(45)).toBe('45 s');
    expect(duration(3 * 3600)).toBe('3 h');
    expect(duration(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(duration(3 * 86400)).toBe('3 d');
    expect(relative(1000, 4600 * 1000)).toBe('1 h ago');
    expect(relative(4600, 1000 * 1000)).toBe('in 1 h');
  });
  it('reads the tenant out of v1 and v2 issuers', () => {
    expect(issuerTenant('https://sts.windows.net/abc/')).toBe('abc');
    expect(issuerTenant('https://login.microsoftonline.com/abc/v2.0')).toBe('abc');
    expect(issuerTenant('https://evil.example/a/b/c')).toBeUndefined();
  });
});
