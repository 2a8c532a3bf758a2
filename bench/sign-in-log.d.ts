// Types of bench/sign-in-log.js (sign-in logs of the test Graph server).
export const SIGN_IN_PROPERTIES: readonly string[];

export interface SignInClause {
  field: string;
  op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';
  value: string | number | boolean;
}

export function parseSignInFilter(text: string): { clauses: SignInClause[]; error?: undefined } | { error: string };
export function rowMatches(row: Record<string, unknown>, clauses: SignInClause[]): boolean;

export interface SignInSource {
  size: number;
  rowAt(g: number): Record<string, unknown>;
  candidates(clauses: SignInClause[], from: number): Iterable<number>;
  count?(clauses: SignInClause[]): number;
  indexOfUser?(id: string): number | undefined;
}

export function createSignInSource(input: {
  rows?: unknown;
  users?: unknown;
  generate?: {
    perUser?: number;
    days?: number;
    seed?: number;
    singleFactorShare?: number;
    singleFactorUsers?: string[];
    failureShare?: number;
  };
  now: number;
}): SignInSource;
