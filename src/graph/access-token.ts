/**
 * What a Graph access token allows, read before the first Graph call: decoded, never verified (Graph tokens carry a
 * `nonce` header and cannot be verified by third parties anyway), and never printed.
 */
import { decodeJwt } from 'jose';
import { CollectionError } from '../errors.js';
import { missingPermissions, PERMISSION_NEEDS } from './permissions.js';

export interface TokenFacts {
  kind: 'app-only' | 'delegated' | 'unknown';
  /** `roles` (app-only) or `scp` (delegated) as a list. */
  permissions: string[];
  tenantId?: string;
  expiresAt?: Date;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decode without verification; undefined when the token is not a JWT (opaque tokens exist). */
export function readTokenFacts(token: string): TokenFacts | undefined {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return undefined;
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const scp = typeof claims.scp === 'string' ? claims.scp.split(/\s+/).filter(Boolean) : [];
  const kind = scp.length > 0 ? 'delegated' : claims.idtyp === 'app' || roles.length > 0 ? 'app-only' : 'unknown';
  return {
    kind,
    permissions: kind === 'delegated' ? scp : roles,
    tenantId: typeof claims.tid === 'string' ? claims.tid : undefined,
    expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
  };
}

/**
 * Notes for stderr about a token, and errors for what makes collection pointless: an expired token, or one issued
 * for another tenant than --tenant-id (its data would be reported under the wrong tenant).
 */
export function checkToken(facts: TokenFacts | undefined, tenantId: string, now: Date, source: string): string[] {
  if (facts === undefined) return [`${source} is not a JWT; its permissions cannot be checked before collection`];
  if (facts.expiresAt !== undefined && facts.expiresAt.getTime() <= now.getTime()) {
    throw new CollectionError(
      `${source} expired at ${facts.expiresAt.toISOString()}; get a new one (e.g. az account get-access-token --resource-type ms-graph)`,
    );
  }
  if (facts.tenantId !== undefined && GUID.test(tenantId) && facts.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    throw new CollectionError(
      `${source} was issued for tenant ${facts.tenantId}, not --tenant-id ${tenantId}; use a token of that tenant`,
    );
  }
  const missing = missingPermissions(facts.permissions);
  if (missing.length === 0) return [];
  const claim = facts.kind === 'delegated' ? 'scp' : 'roles';
  const grants = [...new Set(missing.map((area) => PERMISSION_NEEDS[area].grant))];
  const losses = missing.map((area) => PERMISSION_NEEDS[area].without);
  const notes = [`${source} (${facts.kind}) lacks ${grants.join(', ')} in '${claim}': ${losses.join('; ')}`];
  if (facts.kind === 'delegated') {
    notes.push('delegated sign-in also needs a directory role such as Global Reader for the signed-in user');
  }
  return notes;
}
