import { describe, expect, it } from 'vitest';
import { auditToken } from '../../../src/core/token/audit.js';
import { issuerTenant } from '../../../src/core/token/explain.js';
import { duration, relative, utc } from '../../../src/core/token/time.js';
import type { TokenAuditOptions, TokenResult } from '../../../src/core/token/types.js';
import { FIXTURE_NOW, loadClaims } from '../../helpers/tokens.js';

const options: TokenAuditOptions = { profile: 'partner-center', now: FIXTURE_NOW };
const audit = (
  name: string,
  patch: Record<string, unknown> = {},
  header: Record<string, unknown> = { alg: 'RS256', kid: 'k' },
): TokenResult => auditToken({ header, payload: { ...loadClaims(name), ...patch } }, 0, options);
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
    expect(meaning(audit('pc-v1-global-admin-mfa'), 'wids')).toBe(
      'directory roles: Global Administrator, User (default member role)',
    );
  });
  it('gives iat/nbf/exp in UTC and relative to now', () => {
    const result = audit('pc-v1-app-user-mfa');
    expect(meaning(result, 'iat')).toBe('issued: 2026-11-21T11:30:00Z (30 min ago)');
    expect(meaning(result, 'exp')).toBe('expires: 2026-11-21T12:35:00Z (in 35 min)');
  });
  it('explains a header nonce as a value Entra hashes before signing, naming the token by its audience, without showing it', () => {
    const graph = audit('graph-v1-app-user-mfa', {}, { alg: 'RS256', kid: 'k', nonce: 'abc123secret' });
    const row = graph.explanation?.find((e) => e.claim === 'header.nonce');
    expect(row?.value).toBe('(present)');
    expect(row?.meaning).toMatch(/header value Entra hashes \(SHA-256\) before signing/);
    expect(row?.meaning).toMatch(/for Microsoft Graph/);
    expect(row?.meaning).not.toMatch(/third parties|cannot be checked/);
    expect(JSON.stringify(graph.explanation)).not.toContain('abc123secret');
    const other = audit(
      'graph-v1-app-user-mfa',
      { aud: 'https://outlook.office.com' },
      { alg: 'RS256', kid: 'k', nonce: 'n' },
    );
    const otherRow = other.explanation?.find((e) => e.claim === 'header.nonce');
    expect(otherRow?.meaning).toMatch(/for https:\/\/outlook\.office\.com/);
    expect(otherRow?.meaning).not.toMatch(/Graph/);
  });
  it('calls wids entries roles only when they are known directory role templates', () => {
    expect(meaning(audit('pc-v1-app-user-mfa', { wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509'] }), 'wids')).toBe(
      'directory roles: User (default member role)',
    );
    const unknownGuid = '11111111-2222-4333-8444-555555555555';
    const mixed = meaning(
      audit('pc-v1-app-user-mfa', { wids: ['62E90394-69F5-4237-9190-012177145E10', unknownGuid, 'not-a-guid'] }),
      'wids',
    );
    expect(mixed).toBe(
      `wids entries: Global Administrator (directory role template); directory role template or other wids entry ${unknownGuid}; ` +
        'not-a-guid: not a directory role template id',
    );
    expect(mixed).not.toMatch(/role 1111|role not-a-guid/);
    expect(meaning(audit('pc-v1-app-user-mfa', { wids: [unknownGuid] }), 'wids')).not.toMatch(/^directory roles/);
  });
  it('explains acrs values as authentication contexts only when they are authentication-context ids (c1 … c99)', () => {
    const m = meaning(
      audit('pc-v1-app-user-mfa', {
        acrs: ['c1', 'c25', 'c99', 'p1', 'urn:user:registersecurityinfo', 'c0', 'c100', 'C2'],
      }),
      'acrs',
    );
    expect(m).toBe(
      'authentication contexts the user satisfied (Conditional Access step-up): c1, c25, c99; ' +
        'not an authentication-context id: p1, urn:user:registersecurityinfo, c0, c100, C2',
    );
    expect(meaning(audit('pc-v1-app-user-mfa', { acrs: ['urn:microsoft:req1'] }), 'acrs')).toBe(
      'not an authentication-context id: urn:microsoft:req1',
    );
    expect(meaning(audit('pc-v1-app-user-mfa', { acrs: 7 }), 'acrs')).toBe('not a list of authentication-context ids');
  });
  it('notes a personal Microsoft account guest (idp live.com or the consumer tenant): unusable for Partner Center', () => {
    for (const idp of ['live.com', 'https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/']) {
      const result = audit('pc-v1-guest-mfa', { idp });
      expect(meaning(result, 'idp'), idp).toMatch(/personal Microsoft account/);
      expect(result.warnings?.join(' '), idp).toMatch(
        /personal Microsoft account guest.*cannot be used for Partner Center/,
      );
    }
    const workGuest = audit('pc-v1-guest-mfa');
    expect(meaning(workGuest, 'idp')).not.toMatch(/personal/);
    expect(workGuest.warnings?.join(' ')).not.toMatch(/personal/);
  });
  it('explains deviceid', () => {
    const id = '2f6c0a1e-3b4d-4c5e-8f90-a1b2c3d4e5f6';
    expect(meaning(audit('pc-v1-app-user-mfa', { deviceid: id }), 'deviceid')).toMatch(
      /Entra device id the sign-in came from.*registered or joined/,
    );
    expect(meaning(audit('pc-v1-app-user-mfa'), 'deviceid')).toBeUndefined();
  });
});

describe('warnings', () => {
  it('warns Global Administrator tokens about Secure Application Model least privilege', () => {
    expect(audit('pc-v1-global-admin-mfa').warnings?.join(' ')).toMatch(
      /Global Administrator.*Secure Application Model.*least-privileged/,
    );
    expect(audit('pc-v1-app-user-mfa').warnings).toEqual([]);
  });
  it('warns about guest sign-ins and issuer/tid mismatches', () => {
    expect(audit('pc-v1-guest-mfa').warnings?.join(' ')).toMatch(/guest sign-in/);
    expect(audit('pc-v1-app-user-mfa', { tid: '00000000-0000-0000-0000-000000000001' }).warnings?.join(' ')).toMatch(
      /differs from tid/,
    );
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
    expect(
      auditToken({ header: { alg: 'RS256' }, payload: loadClaims('pc-v1-app-user-mfa') }, 0, {
        ...options,
        now: new Date('2026-11-22T00:00:00Z'),
      }).partnerCenter,
    ).toMatch(/expired/);
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
