/**
 * Defensive readers over the raw Graph JSON of a snapshot. The snapshot was validated at the edge, but the
 * engine still treats every array field that may be `null` as empty and every unknown value as unknown.
 */

/** The fields of a Graph `user` the engine reads. */
export interface GraphUser {
  id: string;
  userPrincipalName?: string | null;
  displayName?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
  creationType?: string | null;
  externalUserState?: string | null;
  onPremisesSyncEnabled?: boolean | null;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array field: `null`/absent/not-an-array → []; non-string items dropped when `strings` is asked. */
export function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

export function objects(value: unknown): Json[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject);
}

/** A Graph flags enum serialised as "a,b,c" (or, defensively, as an array). */
export function flags(value: unknown): string[] {
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  return strings(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
