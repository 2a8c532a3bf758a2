/** Defensive readers for claims: a payload is any JSON object, so nothing here trusts a type. */
import type { TokenKind } from './types.js';

export type Claims = Record<string, unknown>;

export function str(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function num(claims: Claims, name: string): number | undefined {
  const value = claims[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A list of strings from an array claim (non-strings dropped) or, leniently, a single string. */
export function strList(claims: Claims, name: string): string[] | undefined {
  const value = claims[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return [value];
  return undefined;
}

/**
 * `scp` is a string of delegated scopes separated by spaces. Only U+0020 separates: resources (Microsoft.Identity.Web
 * and the like) split on it alone, so `foo\u00a0user_impersonation` is one scope there and must be one here too.
 */
export function scopes(claims: Claims): string[] {
  const scp = claims.scp;
  if (typeof scp !== 'string') return [];
  return scp.split(' ').filter((s) => s !== '');
}

/** Entra issues `roles` as a JSON array; anything else is malformed and decides nothing. */
export function rolesArray(claims: Claims): string[] | undefined {
  const roles = claims.roles;
  return Array.isArray(roles) ? roles.filter((v): v is string => typeof v === 'string') : undefined;
}

export type TokenVersion = '1.0' | '2.0' | 'unknown';

/** `ver` decides; without it, the issuer's shape (v1: sts.windows.net/{tid}/, v2: …/{tid}/v2.0). */
export function tokenVersion(claims: Claims): TokenVersion {
  const ver = claims.ver;
  if (ver === '1.0' || ver === 1 || ver === '1') return '1.0';
  if (ver === '2.0' || ver === 2 || ver === '2') return '2.0';
  const iss = str(claims, 'iss');
  if (iss?.endsWith('/v2.0')) return '2.0';
  if (iss && /^https:\/\/sts\./.test(iss)) return '1.0';
  return 'unknown';
}

/** The user name the token shows, if any. */
function userName(claims: Claims): string | undefined {
  return str(claims, 'upn') ?? str(claims, 'unique_name') ?? str(claims, 'preferred_username');
}

/**
 * Claims Entra puts only in tokens a user signed in for (delegated scopes, user names, profile claims, the time the
 * user authenticated), present in this token. An App-only token carries none of them.
 */
export function userSigns(claims: Claims): string[] {
  const signs = [
    'scp',
    'upn',
    'unique_name',
    'preferred_username',
    'name',
    'given_name',
    'family_name',
    'puid',
    'auth_time',
  ].filter((name) => claims[name] !== undefined);
  if (claims.idtyp === 'user') signs.push('idtyp');
  return signs;
}

export interface KindEvidence {
  kind: TokenKind;
  /** Whether the claims decide the kind; false when they are missing or contradict each other. */
  certain: boolean;
  reason: string;
}

/**
 * App+User (delegated) vs App-only, as evaluation.md §1 says. `idtyp` appears in user tokens only when an API opts
 * in, so its absence proves nothing. When the claims do not decide, the kind is app+user (so the MFA requirement
 * still applies: fail closed) and `certain` is false.
 */
export function tokenKind(claims: Claims): KindEvidence {
  const idtyp = str(claims, 'idtyp');
  const hasScp = scopes(claims).length > 0;
  // Any `scp` at all (even malformed or empty) is a delegated-token sign: it never lets a token count as App-only.
  const scpClaimed = claims.scp !== undefined;
  const user = userName(claims);
  const roles = rolesArray(claims);
  const oid = str(claims, 'oid');
  const sub = str(claims, 'sub');

  if (idtyp === 'app') {
    if (scpClaimed || user) {
      return {
        kind: 'app-only',
        certain: false,
        reason: "idtyp is 'app' but the token also carries user claims (scp/upn)",
      };
    }
    return { kind: 'app-only', certain: true, reason: "idtyp is 'app': the application signed in on its own" };
  }
  if (hasScp) {
    const who = user ? ` for user ${user}` : idtyp === 'user' ? " (idtyp 'user')" : '';
    return { kind: 'app+user', certain: true, reason: `delegated scopes (scp)${who}` };
  }
  if (idtyp === 'user' || user) {
    return {
      kind: 'app+user',
      certain: true,
      reason: `user token${user ? ` for ${user}` : " (idtyp 'user')"} without scp`,
    };
  }
  if (scpClaimed) {
    return {
      kind: 'app+user',
      certain: false,
      reason:
        'scp is present but holds no scope in the form Entra issues (a space-separated string): cannot tell whether a user signed in',
    };
  }
  if (roles && roles.length > 0) {
    return { kind: 'app-only', certain: true, reason: 'no scp and application permissions in roles' };
  }
  if (oid && sub && oid === sub) {
    return { kind: 'app-only', certain: true, reason: 'no scp, and oid equals sub (a service principal)' };
  }
  return {
    kind: 'app+user',
    certain: false,
    reason: 'no scp, no roles, no idtyp and no user name: cannot tell whether a user signed in',
  };
}
