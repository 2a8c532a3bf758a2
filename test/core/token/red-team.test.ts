/**
 * Red team: claim sets shaped to slip past the token checks. Each case is a token Partner Center would refuse (or
 * cannot be shown to accept); none may come out `pass`. Decoder cases feed hand-made compact tokens.
 */
import { describe, expect, it } from 'vitest';
import { auditToken } from '../../../src/core/token/audit.js';
import { tokenKind } from '../../../src/core/token/claims.js';
import { explainClaims } from '../../../src/core/token/explain.js';
import type { CheckId, DecodedToken, TokenAuditOptions, TokenResult } from '../../../src/core/token/types.js';
import { decodeToken, jsonShapeProblem, looksLikeToken } from '../../../src/input/token-decode.js';
import { entraKeysUrl } from '../../../src/auth/jwks.js';
import { InputError } from '../../../src/errors.js';
import { FIXTURE_NOW, loadClaims, rawToken } from '../../helpers/tokens.js';

const RS256 = { typ: 'JWT', alg: 'RS256', kid: 'k1' };
const options = (extra: Partial<TokenAuditOptions> = {}): TokenAuditOptions => ({
  profile: 'partner-center',
  now: FIXTURE_NOW,
  ...extra,
});
/** The passing fixture with a patch (undefined deletes a claim). */
const claims = (patch: Record<string, unknown> = {}, name = 'pc-v1-app-user-mfa'): Record<string, unknown> => {
  const payload: Record<string, unknown> = { ...loadClaims(name), ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete payload[key];
  return payload;
};
const audit = (
  payload: Record<string, unknown>,
  extra: Partial<TokenAuditOptions> = {},
  header: Record<string, unknown> = RS256,
  more: Partial<DecodedToken> = {},
): TokenResult => auditToken({ header, payload, ...more }, 0, options(extra));
const status = (result: TokenResult, id: CheckId) => result.checks.find((c) => c.id === id)?.status;

describe('the fixture the attacks start from passes', () => {
  it('pc-v1-app-user-mfa is pass', () => {
    expect(audit(claims()).verdict).toBe('pass');
  });
});

describe('amr shapes', () => {
  it.each([
    ['a string "mfa" (Entra issues a JSON array)', 'mfa'],
    ['"MFA" in upper case', ['MFA']],
    ['"mfa " with a space', ['mfa ']],
    ['" mfa" with a leading space', [' mfa']],
    ['an object', { 0: 'mfa' }],
    ['null', null],
    ['an empty array', []],
    ['an array with a non-string', ['mfa', 1]],
    ['a nested array', [['mfa']]],
    ['"mfa" with a zero-width space', ['mfa\u200b']],
    ['Cyrillic look-alike letters', ['mfа']],
  ])('amr as %s never passes', (_, amr) => {
    const result = audit(claims({ amr }));
    expect(status(result, 'mfa')).toBe('fail');
    expect(result.verdict).toBe('fail');
  });

  it('a v2.0 token with amr mfa is unknown: Entra puts amr only in v1.0 tokens', () => {
    for (const amr of [['mfa'], ['ngcmfa'], ['pwd', 'mfa']]) {
      const result = audit(claims({ ver: '2.0', amr }));
      expect(status(result, 'mfa')).toBe('unknown');
      expect(result.verdict).not.toBe('pass');
    }
    expect(status(audit(claims({ ver: '2.0', amr: ['pwd'] })), 'mfa')).toBe('fail');
  });

  it('amr values named like Object.prototype members are not Entra values', () => {
    const result = audit(claims({ amr: ['constructor', '__proto__', 'toString'] }));
    expect(status(result, 'mfa')).toBe('fail');
    expect(result.checks[0]?.message).toMatch(/not Entra amr values: constructor, __proto__, toString/);
    const rows = explainClaims(
      RS256,
      claims({ amr: ['constructor'], appid: 'constructor', appidacr: 'toString', wids: ['constructor'] }),
      tokenKind(claims()),
      FIXTURE_NOW,
    );
    expect(JSON.stringify(rows)).not.toMatch(/native code|function/);
  });
});

describe('App-only classification cannot be forced to skip the MFA check', () => {
  const noUser = { upn: undefined, unique_name: undefined, amr: ['pwd'] };
  it.each([
    ['scp as an array, oid = sub', { scp: ['user_impersonation'], sub: '3f2b8c1e-9d4a-4b6e-8f0c-2a1b3c4d5e6f' }],
    ['scp blank, oid = sub', { scp: ' ', sub: '3f2b8c1e-9d4a-4b6e-8f0c-2a1b3c4d5e6f' }],
    ['scp empty, roles present', { scp: '', roles: ['Partner.Read'] }],
    ['scp null, roles present', { scp: null, roles: ['Partner.Read'] }],
    ['roles as a string instead of an array', { scp: undefined, roles: 'Partner.Read' }],
    ['idtyp app with scp', { idtyp: 'app' }],
  ])('%s: mfa is checked and the token does not pass', (_, patch) => {
    const result = audit(claims({ ...noUser, ...patch }));
    expect(result.checks.find((c) => c.id === 'mfa')?.status).toBe('fail');
    expect(result.verdict).toBe('fail');
  });

  it('oid = sub with scp stays App+User', () => {
    const result = audit(claims({ sub: '3f2b8c1e-9d4a-4b6e-8f0c-2a1b3c4d5e6f', amr: ['pwd'] }));
    expect(result.kind).toBe('app+user');
    expect(result.verdict).toBe('fail');
  });

  it('idtyp "App" (another case) is not idtyp app', () => {
    expect(audit(claims({ idtyp: 'App', amr: ['pwd'] })).verdict).toBe('fail');
  });
});

describe('scope look-alikes', () => {
  it.each([
    ['user_impersonation_extra'],
    ['xuser_impersonation'],
    ['User_Impersonation'],
    ['user_impersonation.'],
    // Resources split scp on U+0020 only: these are one scope there.
    ['foo\u00a0user_impersonation'],
    ['foo\tuser_impersonation'],
    ['foo\u2003user_impersonation'],
    ['foo,user_impersonation'],
  ])('scp %j lacks user_impersonation', (scp) => {
    const result = audit(claims({ scp }));
    expect(status(result, 'scope')).toBe('fail');
    expect(result.verdict).toBe('fail');
  });

  it('scp as an array is malformed', () => {
    const result = audit(claims({ scp: ['user_impersonation'] }));
    expect(result.checks.find((c) => c.id === 'scope')).toMatchObject({ status: 'fail', message: /malformed/ });
  });

  it('several space-separated scopes still pass', () => {
    expect(status(audit(claims({ scp: 'openid  user_impersonation' })), 'scope')).toBe('pass');
  });
});

describe('audience look-alikes', () => {
  it.each([
    ['https://api.partnercenter.microsoft.com//'],
    ['https://api.partnercenter.microsoft.com.evil.example'],
    ['https://api.partnercenter.microsoft.com/x'],
    [' https://api.partnercenter.microsoft.com'],
    ['http://api.partnercenter.microsoft.com'],
    ['fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbe'],
    [''],
  ])('aud %j fails', (aud) => {
    expect(status(audit(claims({ aud })), 'audience')).toBe('fail');
  });

  it('a case-only difference is unknown, never pass (APIs compare audiences exactly)', () => {
    for (const aud of [
      'HTTPS://API.PARTNERCENTER.MICROSOFT.COM',
      'FA3D9A0C-3FB0-42CC-9193-47C7ECD2EDBD',
      'https://api.partnercenter.microsoft.com/'.toUpperCase(),
    ]) {
      const result = audit(claims({ aud }));
      expect(status(result, 'audience')).toBe('unknown');
      expect(result.verdict).toBe('unknown');
    }
    expect(status(audit(claims({ aud: 'MY-API' }), { audience: 'my-api' }), 'audience')).toBe('unknown');
  });

  it('one trailing slash and the application id are accepted', () => {
    expect(status(audit(claims({ aud: 'https://api.partnercenter.microsoft.com/' })), 'audience')).toBe('pass');
    expect(status(audit(claims({ aud: 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd' })), 'audience')).toBe('pass');
  });

  it('aud as a number or object fails', () => {
    expect(status(audit(claims({ aud: 42 })), 'audience')).toBe('fail');
    expect(status(audit(claims({ aud: { a: 'https://api.partnercenter.microsoft.com' } })), 'audience')).toBe('fail');
  });

  it('a huge aud list gives a bounded message', () => {
    const aud = Array.from({ length: 20_000 }, (_, i) => `https://x${i}.example`);
    const message = audit(claims({ aud })).checks.find((c) => c.id === 'audience')?.message ?? '';
    expect(message.length).toBeLessThan(600);
    expect(message).toMatch(/19990 more/);
  });
});

describe('time claims', () => {
  it.each([
    ['exp as a string', { exp: '1795264500' }],
    ['exp missing', { exp: undefined }],
    ['exp null', { exp: null }],
    ['exp true', { exp: true }],
    ['nbf in the future', { nbf: 1795300000 }],
    ['nbf as a string', { nbf: '1795260600' }],
    ['exp in the past', { exp: 1795200000 }],
  ])('%s fails lifetime', (_, patch) => {
    expect(status(audit(claims(patch)), 'lifetime')).toBe('fail');
  });

  it('a fractional exp is still a number of seconds', () => {
    expect(status(audit(claims({ exp: 1795264500.5 })), 'lifetime')).toBe('pass');
  });

  it('a weird iat is shown, not trusted, and does not crash', () => {
    for (const iat of ['yesterday', -1, 1e300, { a: 1 }]) {
      expect(() => audit(claims({ iat }))).not.toThrow();
    }
  });

  it('an exp far beyond Date range does not crash the message', () => {
    expect(() => audit(claims({ exp: 1e300 }))).not.toThrow();
  });
});

describe('signature, without --verify', () => {
  it.each([['none'], ['HS256'], ['RS384'], ['ES256'], ['rs256']])(
    'alg %s fails: Entra signs with RS256 only',
    (alg) => {
      const result = audit(claims(), {}, { typ: 'JWT', alg });
      expect(status(result, 'signature')).toBe('fail');
      expect(result.verdict).toBe('fail');
    },
  );

  it('a missing or non-string alg fails', () => {
    expect(status(audit(claims(), {}, { typ: 'JWT' }), 'signature')).toBe('fail');
    expect(status(audit(claims(), {}, { typ: 'JWT', alg: ['RS256'] }), 'signature')).toBe('fail');
  });

  it('an empty signature part fails even with alg RS256', () => {
    const result = audit(claims(), {}, RS256, { unsigned: true });
    expect(status(result, 'signature')).toBe('fail');
  });

  it('an unsigned token fails even when the verifier could only say unknown (nonce)', () => {
    const result = auditToken({ header: { ...RS256, nonce: 'n' }, payload: claims(), unsigned: true }, 0, options(), {
      status: 'unknown',
      message: 'Graph token',
    });
    expect(status(result, 'signature')).toBe('fail');
  });

  it('a nonce without --verify is skip (decoded only), never verified', () => {
    const result = audit(claims(), {}, { ...RS256, nonce: 'n' });
    expect(status(result, 'signature')).toBe('skip');
    expect(result.verified).toBe(false);
  });
});

describe('decoder', () => {
  const payload = JSON.stringify(claims({ amr: undefined })).slice(1);
  it.each([
    ['mfa last', `{"amr":["pwd"],"amr":["mfa"],${payload}`],
    ['pwd last', `{"amr":["mfa"],"amr":["pwd"],${payload}`],
    ['escaped duplicate', `{"amr":["pwd"],"\\u0061mr":["mfa"],${payload}`],
    ['nested duplicate', `{"amr":["mfa"],"_claim_sources":{"a":1,"a":2},${payload}`],
  ])('duplicate claim names are refused (%s)', (_, text) => {
    expect(() => decodeToken(rawToken('{"alg":"RS256"}', text), 'token 1')).toThrow(/repeats the member/);
  });

  it('a duplicate header member is refused', () => {
    expect(() => decodeToken(rawToken('{"alg":"none","alg":"RS256"}', '{"a":1}'), 'token 1')).toThrow(
      /header repeats the member "alg"/,
    );
  });

  it('keys inside string values are not members', () => {
    expect(jsonShapeProblem('{"a":"\\"a\\":1","b":["a","a"],"c":{"a":1},"d":{"a":2}}')).toBeUndefined();
  });

  it('deep nesting is refused before any renderer recurses', () => {
    const deep = '['.repeat(90_000) + ']'.repeat(90_000);
    expect(() => decodeToken(rawToken('{"alg":"RS256"}', `{"x":${deep}}`), 'token 1')).toThrow(/nests deeper than 64/);
  });

  it('an empty signature part is marked unsigned', () => {
    expect(decodeToken(rawToken('{"alg":"none"}', '{"a":1}', ''), 'token 1').unsigned).toBe(true);
    expect(decodeToken(rawToken('{"alg":"RS256"}', '{"a":1}'), 'token 1').unsigned).toBeUndefined();
  });

  it('non-UTF-8 bytes, a BOM inside a part and a JWE are input errors that never repeat the token', () => {
    const bad = `${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.e30.c2ln`;
    const bomHeader = `${Buffer.from('\ufeff{"alg":"RS256"}').toString('base64url')}.e30.c2ln`;
    for (const text of [bad, bomHeader, 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d', `${bad} ${bad}`]) {
      let error: unknown;
      try {
        decodeToken(text, 'token 1');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).not.toContain(text.slice(0, 12));
    }
  });

  it('looksLikeToken spots compact tokens but not file names', () => {
    expect(looksLikeToken(rawToken('{"alg":"RS256"}', '{"a":1}'))).toBe(true);
    expect(looksLikeToken(`Bearer ${rawToken('{"alg":"RS256"}', '{"a":1}')}`)).toBe(true);
    expect(looksLikeToken('tokens.production-list.txt')).toBe(false);
    expect(looksLikeToken('2026-11-21T12:00:00Z')).toBe(false);
  });
});

describe('key locations never come from an arbitrary issuer', () => {
  it.each([
    ['https://evil.example/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['https://sts.windows.net.evil.example/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['https://sts.windows.net@evil.example/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['https://constructor/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['https://__proto__/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['https://hasownproperty/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['http://sts.windows.net/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['https://sts.windows.net:8443/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/'],
    ['https://sts.windows.net/../evil/'],
  ])('%s gives no URL', (iss) => {
    expect('url' in entraKeysUrl(iss)).toBe(false);
  });

  it('national clouds map to their own authority', () => {
    expect(entraKeysUrl('https://login.microsoftonline.us/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/v2.0')).toEqual({
      url: 'https://login.microsoftonline.us/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/discovery/v2.0/keys',
    });
    expect(entraKeysUrl('https://sts.chinacloudapi.cn/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/')).toEqual({
      url: 'https://login.chinacloudapi.cn/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/discovery/keys',
    });
  });
});
