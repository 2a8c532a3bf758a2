/**
 * The six checks of evaluation.md §1, each a pure function of the decoded claims and the options. Every check always
 * runs and returns a status with a message that says why.
 */
import { AMR_VALUES, PROFILES } from './catalog.js';
import type { Claims, KindEvidence } from './claims.js';
import { num, rolesArray, scopes, tokenVersion, userSigns } from './claims.js';
import { relative, utc } from './time.js';
import type { SignatureOutcome, TokenAuditOptions, TokenCheck } from './types.js';

const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/** A claim's values for a message: a token can carry thousands, a message names the first few. */
export function listed(values: readonly string[], separator = ', ', max = 10): string {
  if (values.length <= max) return values.join(separator);
  return `${values.slice(0, max).join(separator)}${separator}… (${values.length - max} more)`;
}

/** `mfa`: amr must contain 'mfa' (Partner Center's own test). */
export function checkMfa(claims: Claims, kind: KindEvidence): TokenCheck {
  if (kind.kind === 'app-only' && kind.certain) {
    return {
      id: 'mfa',
      status: 'skip',
      message: 'App-only token: no user signed in, so the MFA requirement does not apply to it',
    };
  }
  const raw = claims.amr;
  if (raw === undefined) {
    if (tokenVersion(claims) === '2.0') {
      return {
        id: 'mfa',
        status: 'unknown',
        message:
          'v2.0 tokens carry no amr claim, so this token cannot show MFA either way; request a v1.0 token ' +
          '(e.g. for Partner Center) or check the Entra sign-in logs',
      };
    }
    // Whether MFA is required at all is open when nothing shows a user (a bare client-credentials token): unknown.
    // Any user claim, or claims that decide App+User, keep the fail.
    if (!kind.certain && userSigns(claims).length === 0) {
      return {
        id: 'mfa',
        status: 'unknown',
        message:
          'no amr claim, and nothing in the token shows whether a user signed in (no scp, user name, roles or idtyp): ' +
          'an App-only token needs no MFA, a user token without amr does not prove it',
      };
    }
    return {
      id: 'mfa',
      status: 'fail',
      message: 'no amr claim: a v1.0 user token without amr does not prove MFA (Partner Center rejects it)',
    };
  }
  // Entra issues amr as a JSON array of strings, always; any other shape is not an Entra token's amr.
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
    return { id: 'mfa', status: 'fail', message: 'amr is malformed (Entra issues it as a JSON array of strings)' };
  }
  const amr = raw as string[];
  const shown = amr.length === 0 ? '(empty)' : listed(amr);
  if (tokenVersion(claims) === '2.0' && (amr.includes('mfa') || amr.includes('ngcmfa'))) {
    return {
      id: 'mfa',
      status: 'unknown',
      message:
        `a v2.0 token with amr (${shown}): Entra puts amr only in v1.0 tokens, so this one cannot show MFA; ` +
        'request a v1.0 token (e.g. for Partner Center) or check the Entra sign-in logs',
    };
  }
  if (amr.includes('mfa')) {
    return { id: 'mfa', status: 'pass', message: `amr contains 'mfa' (${shown})` };
  }
  if (amr.includes('ngcmfa')) {
    return {
      id: 'mfa',
      status: 'warn',
      message:
        `amr has 'ngcmfa' (${shown}), which Entra documents as equivalent to 'mfa'; ` +
        "Partner Center's documented check names 'mfa', so prefer a sign-in that yields 'mfa'",
    };
  }
  const hints: string[] = [];
  if (amr.includes('wiaormfa')) hints.push("'wiaormfa' means Windows auth OR MFA and proves nothing");
  if (amr.includes('fed')) {
    hints.push("'fed': the federated IdP must send its MFA claim (multipleauthn) so Entra adds 'mfa'");
  }
  const unknown = amr.filter((value) => !Object.hasOwn(AMR_VALUES, value));
  if (unknown.length > 0) hints.push(`not Entra amr values: ${listed(unknown)}`);
  return {
    id: 'mfa',
    status: 'fail',
    message: `amr does not contain 'mfa' (${shown})${hints.length > 0 ? `; ${hints.join('; ')}` : ''}`,
  };
}

/** `app-user`: Partner Center requires App+User for MFA-relevant calls; App-only passes with a warning. */
export function checkAppUser(kind: KindEvidence, requireAppUser: boolean): TokenCheck {
  if (!kind.certain) {
    return { id: 'app-user', status: 'unknown', message: kind.reason };
  }
  if (kind.kind === 'app+user') {
    return { id: 'app-user', status: 'pass', message: `App+User: ${kind.reason}` };
  }
  if (requireAppUser) {
    return {
      id: 'app-user',
      status: 'fail',
      message: `App-only token (${kind.reason}); --require-app-user demands App+User`,
    };
  }
  return {
    id: 'app-user',
    status: 'warn',
    message:
      `App-only token (${kind.reason}): not subject to the MFA requirement, but it cannot be used for operations ` +
      'that need GDAP roles, and control panel vendors must use App+User',
  };
}

/**
 * An audience as resources compare it: exactly, except for one trailing slash (Microsoft.IdentityModel's
 * IgnoreTrailingSlashWhenValidatingAudience). Letter case is significant there, so it is here.
 */
export function normaliseAudience(aud: string): string {
  return aud.endsWith('/') ? aud.slice(0, -1) : aud;
}

/** Accepted audiences per profile, normalised once (a batch of 10,000 tokens asks 10,000 times). */
const PROFILE_AUDIENCES = new Map(
  Object.entries(PROFILES).map(([name, spec]) => [name, new Set(spec.audiences.map(normaliseAudience))]),
);

/** `audience`: aud must be one the profile accepts (or exactly --audience). */
export function checkAudience(claims: Claims, options: TokenAuditOptions): TokenCheck {
  const raw = claims.aud;
  const auds =
    typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((a): a is string => typeof a === 'string') : [];
  const wanted = options.audience !== undefined ? [options.audience] : PROFILES[options.profile].audiences;
  const label = options.audience !== undefined ? `--audience ${options.audience}` : `profile ${options.profile}`;
  if (wanted.length === 0) {
    return {
      id: 'audience',
      status: 'skip',
      message: `profile any: no audience required (aud: ${auds.length > 0 ? listed(auds) : 'none'})`,
    };
  }
  if (auds.length === 0) {
    return { id: 'audience', status: 'fail', message: `no aud claim (expected ${wanted.join(' or ')} for ${label})` };
  }
  const accepted =
    options.audience === undefined
      ? (PROFILE_AUDIENCES.get(options.profile) ?? new Set<string>())
      : new Set([normaliseAudience(options.audience)]);
  const match = auds.find((aud) => accepted.has(normaliseAudience(aud)));
  if (match !== undefined) {
    return { id: 'audience', status: 'pass', message: `aud ${match} fits ${label}` };
  }
  // Same letters in another case: Entra issues audiences as registered and resources compare them exactly, so
  // whether the API takes this one cannot be told from here; never a pass.
  const folded = new Set([...accepted].map((a) => a.toLowerCase()));
  const caseOnly = auds.find((aud) => folded.has(normaliseAudience(aud).toLowerCase()));
  if (caseOnly !== undefined) {
    return {
      id: 'audience',
      status: 'unknown',
      message:
        `aud ${caseOnly} differs from ${wanted.join(' or ')} only in letter case; APIs compare audiences exactly, ` +
        'so it may be refused: request the token for the resource as it is spelled',
    };
  }
  return {
    id: 'audience',
    status: 'fail',
    message: `aud ${listed(auds)} is not for ${options.audience ?? PROFILES[options.profile].label} (expected ${wanted.join(' or ')})`,
  };
}

/** A required scope may be given in v2 form (https://api…/user_impersonation); tokens carry the short name. */
function scopeMatches(required: string, granted: readonly string[]): boolean {
  if (granted.includes(required)) return true;
  const short = required.includes('/') ? required.slice(required.lastIndexOf('/') + 1) : required;
  return granted.includes(short);
}

const requiredScopeCache = new Map<string, string[]>();

/** The scopes to look for: space- or comma-separated; `…/.default` names no particular scope. */
function requiredScopes(text: string): string[] {
  let list = requiredScopeCache.get(text);
  if (!list) {
    list = text.split(/[\s,]+/).filter((s) => s !== '' && !s.endsWith('/.default'));
    requiredScopeCache.set(text, list);
  }
  return list;
}

/** `scope`: scp must contain the profile's scope (or every --scope). */
export function checkScope(claims: Claims, kind: KindEvidence, options: TokenAuditOptions): TokenCheck {
  const required = requiredScopes(options.scope ?? PROFILES[options.profile].scope ?? '');
  const label = options.scope !== undefined ? '--scope' : `profile ${options.profile}`;
  if (required.length === 0) {
    const scp = scopes(claims);
    return {
      id: 'scope',
      status: 'skip',
      message: `no scope required by ${label} (scp: ${scp.length > 0 ? listed(scp, ' ') : 'none'})`,
    };
  }
  if (kind.kind === 'app-only' && kind.certain) {
    if (options.scope === undefined) {
      return {
        id: 'scope',
        status: 'skip',
        message: 'App-only token: application permissions (roles) instead of delegated scopes; no scp to check',
      };
    }
    // An explicit --scope on an App-only token is looked for among its application permissions.
    const roles = rolesArray(claims) ?? [];
    const missing = required.filter((s) => !scopeMatches(s, roles));
    return missing.length === 0
      ? { id: 'scope', status: 'pass', message: `roles contain ${required.join(', ')}` }
      : { id: 'scope', status: 'fail', message: `App-only token: roles lack ${missing.join(', ')}` };
  }
  if (claims.scp !== undefined && typeof claims.scp !== 'string') {
    return { id: 'scope', status: 'fail', message: 'scp is malformed (Entra issues it as a space-separated string)' };
  }
  const granted = scopes(claims);
  if (granted.length === 0) {
    return { id: 'scope', status: 'fail', message: `no scp claim (${label} requires ${required.join(' ')})` };
  }
  const missing = required.filter((s) => !scopeMatches(s, granted));
  if (missing.length === 0) {
    return { id: 'scope', status: 'pass', message: `scp contains ${required.join(' ')}` };
  }
  return {
    id: 'scope',
    status: 'fail',
    message: `scp (${listed(granted, ' ')}) lacks ${missing.join(' ')}, required by ${label}`,
  };
}

/** `lifetime`: nbf ≤ now ≤ exp, with a small clock skew. */
export function checkLifetime(claims: Claims, options: TokenAuditOptions): TokenCheck {
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const nowMs = options.now.getTime();
  const now = nowMs / 1000;
  const exp = num(claims, 'exp');
  if (claims.exp === undefined) {
    return { id: 'lifetime', status: 'fail', message: 'no exp claim: Entra access tokens always carry one' };
  }
  if (exp === undefined) {
    return { id: 'lifetime', status: 'fail', message: 'exp is not a number of seconds' };
  }
  const nbf = num(claims, 'nbf');
  if (claims.nbf !== undefined && nbf === undefined) {
    return { id: 'lifetime', status: 'fail', message: 'nbf is not a number of seconds' };
  }
  if (nbf !== undefined && now + skew < nbf) {
    return {
      id: 'lifetime',
      status: 'fail',
      message: `not valid yet: nbf ${utc(nbf)} (${relative(nbf, nowMs)})`,
    };
  }
  if (now - skew > exp) {
    return { id: 'lifetime', status: 'fail', message: `expired ${relative(exp, nowMs)} (exp ${utc(exp)})` };
  }
  const grace = now > exp ? ' (within the allowed clock skew)' : '';
  return { id: 'lifetime', status: 'pass', message: `valid until ${utc(exp)}, ${relative(exp, nowMs)}${grace}` };
}

/**
 * `signature`: the adapter's result, or a plain statement that the token was decoded, not verified. Some tokens are
 * refused without any key: Entra signs access tokens with RS256 only, so `alg` none/HS256/… or an empty signature
 * part can never be accepted by Partner Center, with or without --verify.
 */
export function checkSignature(
  outcome: SignatureOutcome | undefined,
  header: Record<string, unknown> = {},
  unsigned = false,
): TokenCheck {
  if (outcome?.status !== 'fail') {
    if (header.alg !== 'RS256') {
      const alg = typeof header.alg === 'string' ? header.alg : (JSON.stringify(header.alg) ?? 'missing');
      return {
        id: 'signature',
        status: 'fail',
        message: `alg ${alg}: Entra signs access tokens with RS256 only, so no API accepts this token`,
      };
    }
    if (unsigned) {
      return {
        id: 'signature',
        status: 'fail',
        message: 'the token has no signature (its third part is empty): no API accepts it',
      };
    }
  }
  if (outcome === undefined) {
    return {
      id: 'signature',
      status: 'skip',
      message: 'not verified: decoded only (use --verify to check the signature)',
    };
  }
  return { id: 'signature', status: outcome.status, message: outcome.message };
}
