// Types of bench/collect.js for the TypeScript tests (test/graph/choice.test.ts).
export interface BenchSnapshot {
  format: string;
  tenantId: string;
  collectedAt: string;
  graph: Record<string, unknown>;
}

/** The benchmark's synthetic tenant of `userCount` users, per-user MFA states included. */
export function buildTenant(userCount: number): BenchSnapshot;
