import { describe, expect, it } from 'vitest';
import { auditToken, auditTokens, verdictOf } from '../../../src/core/token/audit.js';
import type { CheckId, DecodedToken, TokenAuditOptions, TokenCheck } from '../../../src/core/token/types.js';
import { FIXTURE_NOW, loadClaims } from '../../helpers/tokens.js';

const header = { typ: 'JWT', alg: 'RS256', kid: 'k1' };
const options = (extra: Partial<TokenAuditOptions> = {}): TokenAuditOptions => ({
  profile: 'partner-center',
  now: FIXTURE_NOW,
  ...extra,
});
const token = (name: string, patch: Record<string, unknown> = {}): DecodedToken => {
  const payload: Record<string, unknown> = { ...loadClaims(name), ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete payload[key];
  return { header, payload };
};
const check = (t: DecodedToken, id: CheckId, extra: Partial<TokenAuditOptions> = {}): TokenCheck => {
  const found = auditToken(t, 0, options(extra)).checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

describe('every check runs, with stable ids', () => {
  it('returns all six checks even when the first fails', () => {
    const result = auditToken(token('pc-v1-app-user-password-only'), 0, options());
    expect(result.checks.map((c) => c.id)).toEqual(['mfa', 'app-user', 'audience', 'scope', 'lifetime', 'signature']);
  });
});

describe('mfa', () => {
  it("passes when amr contains 'mfa' (Partner Center's own test)", () => {
    expect(check(token('pc-v1-app-user-mfa'), 'mfa')).toMatchObject({ status: 'pass' });
  });
  it("fails a v1 user token whose amr has only 'pwd'", () => {
    const c = check(token('pc-v1-app-user-password-only'), 'mfa');
    expect(c.status).toBe('fail');
    expect(c.message).toContain("does not contain 'mfa'");
  });
  it('fails a v1 user token without amr', () => {
    const c = check(token('pc-v1-app-user-no-amr'), 'mfa');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/no amr claim/);
  });
  it('is unknown for a v2 token (no amr in v2) and says what to do', () => {
    const c = check(token('api-v2-app-user-no-amr'), 'mfa', { profile: 'any' });
    expect(c.status).toBe('unknown');
    expect(c.message).toMatch(/v1\.0 token/);
    expect(c.message).toMatch(/sign-in logs/);
  });
  it("treats 'ngcmfa' as equivalent to 'mfa' (warn, never fail)", () => {
    const c = check(token('pc-v1-app-user-ngcmfa'), 'mfa');
    expect(c.status).toBe('warn');
    expect(c.message).toMatch(/equivalent/);
  });
  it("fails 'wiaormfa' alone: it proves nothing", () => {
    const c = check(token('pc-v1-app-user-wiaormfa'), 'mfa');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/proves nothing/);
  });
  it("fails a federated sign-in without 'mfa' and explains the IdP claim", () => {
    const c = check(token('pc-v1-app-user-federated-without-mfa'), 'mfa');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/federated IdP/);
  });
  it('names values that are not Entra amr values', () => {
    const c = check(token('pc-v1-app-user-mfa', { amr: ['pwd', 'fido'] }), 'mfa');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/not Entra amr values: fido/);
  });
  it('fails a malformed amr', () => {
    expect(check(token('pc-v1-app-user-mfa', { amr: 42 }), 'mfa').status).toBe('fail');
    expect(check(token('pc-v1-app-user-mfa', { amr: ['mfa', 7] }), 'mfa').status).toBe('fail');
  });
  it('skips App-only tokens: the MFA requirement does not apply', () => {
    expect(check(token('pc-v1-app-only'), 'mfa').status).toBe('skip');
  });
  it('is unknown for a bare v1 client-credentials token (no amr, and nothing shows whether a user signed in)', () => {
    const bare = token('pc-v1-app-only', { idtyp: undefined, oid: undefined, sub: undefined });
    expect(bare.payload).toMatchObject({ appidacr: '1', ver: '1.0' });
    for (const name of ['oid', 'sub', 'roles', 'scp', 'idtyp', 'amr']) expect(bare.payload[name], name).toBeUndefined();
    const mfa = check(bare, 'mfa', { profile: 'any' });
    expect(mfa.status).toBe('unknown');
    expect(mfa.message).toMatch(/no amr claim/);
    const result = auditToken(bare, 0, options({ profile: 'any' }));
    expect(result.verdict).toBe('unknown');
    expect(result.partnerCenter).not.toMatch(/401/);
  });
  it('still fails a certain App+User v1 token without amr', () => {
    expect(check(token('pc-v1-app-user-no-amr'), 'mfa').status).toBe('fail');
    expect(check(token('pc-v1-app-user-no-amr'), 'mfa', { profile: 'any' }).status).toBe('fail');
  });
  it('requires MFA when the claims cannot tell App-only from App+User (fail closed)', () => {
    const t = token('pc-v1-app-user-mfa', { scp: undefined, upn: undefined, unique_name: undefined, amr: undefined });
    expect(check(t, 'mfa').status).toBe('fail');
    expect(check(t, 'app-user').status).toBe('unknown');
  });
});

describe('app-user', () => {
  it('passes a delegated token (scp and a user)', () => {
    const result = auditToken(token('pc-v1-app-user-mfa'), 0, options());
    expect(result.kind).toBe('app+user');
    expect(result.checks.find((c) => c.id === 'app-user')?.status).toBe('pass');
  });
  it("detects App-only by idtyp 'app' and passes it with a warning under partner-center", () => {
    const result = auditToken(token('pc-v1-app-only'), 0, options());
    expect(result.kind).toBe('app-only');
    const c = result.checks.find((x) => x.id === 'app-user');
    expect(c?.status).toBe('warn');
    expect(c?.message).toMatch(/GDAP/);
    expect(c?.message).toMatch(/control panel vendors must use App\+User/);
    expect(result.verdict).toBe('pass');
  });
  it('detects App-only without idtyp when oid equals sub and there is no scp', () => {
    expect(auditToken(token('pc-v1-app-only-without-idtyp'), 0, options()).kind).toBe('app-only');
  });
  it('detects App-only from application roles without scp', () => {
    const t = token('pc-v1-app-only-without-idtyp', { sub: 'other', roles: ['Directory.Read.All'] });
    expect(auditToken(t, 0, options()).kind).toBe('app-only');
  });
  it('fails App-only with --require-app-user', () => {
    const result = auditToken(token('pc-v1-app-only'), 0, options({ requireAppUser: true }));
    expect(result.checks.find((c) => c.id === 'app-user')?.status).toBe('fail');
    expect(result.verdict).toBe('fail');
  });
  it('an absent idtyp proves nothing: a user token with scp is App+User', () => {
    expect(auditToken(token('pc-v1-app-user-mfa', { idtyp: undefined }), 0, options()).kind).toBe('app+user');
  });
  it("is unknown when idtyp 'app' contradicts user claims", () => {
    expect(check(token('pc-v1-app-user-mfa', { idtyp: 'app' }), 'app-user').status).toBe('unknown');
  });
});

describe('audience', () => {
  it('accepts the Partner Center URI, with a trailing slash, and its application id', () => {
    expect(check(token('pc-v1-app-user-mfa'), 'audience').status).toBe('pass');
    expect(
      check(token('pc-v1-app-user-mfa', { aud: 'https://api.partnercenter.microsoft.com/' }), 'audience').status,
    ).toBe('pass');
    expect(check(token('pc-v1-app-user-mfa', { aud: 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd' }), 'audience').status).toBe(
      'pass',
    );
  });
  it('fails a Graph token under partner-center and passes it under graph', () => {
    expect(check(token('graph-v1-app-user-mfa'), 'audience').status).toBe('fail');
    expect(check(token('graph-v1-app-user-mfa'), 'audience', { profile: 'graph' }).status).toBe('pass');
  });
  it('passes an ARM token under arm', () => {
    expect(check(token('arm-v1-app-user-mfa'), 'audience', { profile: 'arm' }).status).toBe('pass');
  });
  it('skips under any, and --audience overrides the profile', () => {
    expect(check(token('api-v2-app-user-no-amr'), 'audience', { profile: 'any' }).status).toBe('skip');
    const aud = '7b5e1f3a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';
    expect(check(token('api-v2-app-user-no-amr'), 'audience', { audience: aud }).status).toBe('pass');
    expect(check(token('pc-v1-app-user-mfa'), 'audience', { audience: aud }).status).toBe('fail');
  });
  it('fails a token without aud', () => {
    expect(check(token('pc-v1-app-user-mfa', { aud: undefined }), 'audience').status).toBe('fail');
  });
});

describe('scope', () => {
  it('requires user_impersonation under partner-center', () => {
    expect(check(token('pc-v1-app-user-mfa'), 'scope').status).toBe('pass');
    const c = check(token('pc-v1-app-user-wrong-scope'), 'scope');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/lacks user_impersonation/);
  });
  it('--scope overrides, and accepts the v2 scope form', () => {
    expect(
      check(token('graph-v1-app-user-mfa'), 'scope', { profile: 'graph', scope: 'Directory.Read.All' }).status,
    ).toBe('pass');
    expect(
      check(token('graph-v1-app-user-mfa'), 'scope', { profile: 'graph', scope: 'User.ReadWrite.All' }).status,
    ).toBe('fail');
    expect(
      check(token('pc-v1-app-user-mfa'), 'scope', {
        scope: 'https://api.partnercenter.microsoft.com/user_impersonation',
      }).status,
    ).toBe('pass');
  });
  it('skips when the profile requires no scope, and for App-only tokens', () => {
    expect(check(token('graph-v1-app-user-mfa'), 'scope', { profile: 'graph' }).status).toBe('skip');
    expect(check(token('pc-v1-app-only'), 'scope').status).toBe('skip');
  });
  it('fails a user token with no scp when a scope is required', () => {
    expect(check(token('pc-v1-app-user-mfa', { scp: undefined }), 'scope').status).toBe('fail');
  });
});

describe('lifetime', () => {
  const t = token('pc-v1-app-user-mfa'); // iat/nbf 11:30Z, exp 12:35Z
  it('passes within nbf..exp', () => {
    expect(check(t, 'lifetime').status).toBe('pass');
  });
  it('fails an expired token and says how long ago, in UTC', () => {
    const c = check(t, 'lifetime', { now: new Date('2026-11-21T15:35:00Z') });
    expect(c.status).toBe('fail');
    expect(c.message).toBe('expired 3 h ago (exp 2026-11-21T12:35:00Z)');
  });
  it('fails a token that is not valid yet', () => {
    const c = check(t, 'lifetime', { now: new Date('2026-11-21T11:00:00Z') });
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/not valid yet/);
  });
  it('allows a small clock skew (5 min) on both ends', () => {
    expect(check(t, 'lifetime', { now: new Date('2026-11-21T12:39:00Z') }).status).toBe('pass');
    expect(check(t, 'lifetime', { now: new Date('2026-11-21T11:26:00Z') }).status).toBe('pass');
    expect(check(t, 'lifetime', { now: new Date('2026-11-21T12:41:00Z') }).status).toBe('fail');
  });
  it('fails a token without exp or with a non-numeric exp', () => {
    expect(check(token('pc-v1-app-user-mfa', { exp: undefined }), 'lifetime').status).toBe('fail');
    expect(check(token('pc-v1-app-user-mfa', { exp: 'tomorrow' }), 'lifetime').status).toBe('fail');
  });
});

describe('signature', () => {
  it('says "decoded only" without --verify and never counts as verified', () => {
    const result = auditToken(token('pc-v1-app-user-mfa'), 0, options());
    const c = result.checks.find((x) => x.id === 'signature');
    expect(c?.status).toBe('skip');
    expect(c?.message).toMatch(/not verified: decoded only/);
    expect(result.verified).toBe(false);
  });
  it('carries the adapter outcome: fail fails, unknown makes the verdict unknown', () => {
    const t = token('pc-v1-app-user-mfa');
    expect(auditToken(t, 0, options(), { status: 'fail', message: 'bad' }).verdict).toBe('fail');
    expect(auditToken(t, 0, options(), { status: 'unknown', message: 'unreachable' }).verdict).toBe('unknown');
    const ok = auditToken(t, 0, options(), { status: 'pass', message: 'ok' });
    expect(ok.verdict).toBe('pass');
    expect(ok.verified).toBe(true);
  });
});

describe('verdict', () => {
  const c = (status: TokenCheck['status']): TokenCheck => ({ id: 'mfa', status, message: '' });
  it('is fail if any check fails, else unknown if any is unknown, else pass; warn and skip do not fail', () => {
    expect(verdictOf([c('pass'), c('unknown'), c('fail')])).toBe('fail');
    expect(verdictOf([c('pass'), c('unknown'), c('warn')])).toBe('unknown');
    expect(verdictOf([c('pass'), c('warn'), c('skip')])).toBe('pass');
  });
  it('a v2 token under profile any is unknown (exit 3), never pass', () => {
    expect(auditToken(token('api-v2-app-user-no-amr'), 0, options({ profile: 'any' })).verdict).toBe('unknown');
  });
  it('auditTokens keeps input order and index', () => {
    const report = auditTokens([token('pc-v1-app-user-mfa'), token('pc-v1-app-user-password-only')], options());
    expect(report.results.map((r) => [r.index, r.verdict])).toEqual([
      [0, 'pass'],
      [1, 'fail'],
    ]);
    expect(report.verify).toBe(false);
  });
});
