/**
 * A directory built beside another (plan's proposed state beside its baseline) shares users, groups and roles only
 * when nothing but the Conditional Access objects differ; any other difference builds it whole.
 */
import { describe, expect, it } from 'vitest';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import type { Snapshot } from '../../../src/core/snapshot.js';
import { buildDirectory } from '../../../src/core/tenant/directory.js';
import { ALICE, BOB, MFA_ALL, complete, ipLocation, policy } from './build.js';

const HQ = ipLocation('f0e0d0c0-0000-4000-8000-0000000000a0', 'HQ', '10.0.0.0/16', true);

function baseline(): Snapshot {
  return complete([ALICE, BOB], [MFA_ALL], { [GRAPH_KEYS.namedLocations]: [HQ] });
}

/** The baseline with some keys replaced, every other key shared (as plan's applyChangeSet builds it). */
function withKeys(base: Snapshot, graph: Record<string, unknown>): Snapshot {
  return { ...base, graph: { ...base.graph, ...graph } };
}

describe('buildDirectory beside another directory', () => {
  it('shares users, groups and roles when only the Conditional Access objects changed, and rebuilds those', () => {
    const base = baseline();
    const old = buildDirectory(base);
    const blocked = policy({ id: 'p-block', name: 'Block', grant: { operator: 'OR', builtInControls: ['block'] } });
    const proposed = withKeys(base, {
      [GRAPH_KEYS.conditionalAccessPolicies]: [MFA_ALL, blocked],
      [GRAPH_KEYS.namedLocations]: [],
    });
    const dir = buildDirectory(proposed, old);
    expect(dir.users).toBe(old.users);
    expect(dir.groupMembers).toBe(old.groupMembers);
    expect(dir.roles).toBe(old.roles);
    expect(dir.snapshot).toBe(proposed);
    expect(dir.caPolicies).toHaveLength(2);
    expect(dir.namedLocations?.size).toBe(0);
    expect(old.namedLocations?.size).toBe(1);
  });

  it('builds the directory whole when any other key differs, even with equal contents', () => {
    const base = baseline();
    const old = buildDirectory(base);
    const copy = withKeys(base, { [GRAPH_KEYS.users]: [ALICE] });
    const dir = buildDirectory(copy, old);
    expect(dir.users).not.toBe(old.users);
    expect(dir.users.map((u) => u.id)).toEqual([ALICE.id]);
    const sameWords = withKeys(base, {
      [GRAPH_KEYS.roleAssignments]: [...(base.graph[GRAPH_KEYS.roleAssignments] as [])],
    });
    expect(buildDirectory(sameWords, old).users).not.toBe(old.users);
  });

  it('builds the directory whole when a key was added or removed, or the collection errors differ', () => {
    const base = baseline();
    const old = buildDirectory(base);
    const added = withKeys(base, { 'beta/users/x/authentication/requirements': { perUserMfaState: 'enforced' } });
    expect(buildDirectory(added, old).perUser.get('x')).toBe('enforced');
    const graph = { ...base.graph };
    delete graph[GRAPH_KEYS.domains];
    expect(buildDirectory({ ...base, graph }, old).domains).toBeUndefined();
    const errors = { ...base, collectionErrors: { [GRAPH_KEYS.domains]: '403 Forbidden' } };
    expect(buildDirectory(errors, old).collectionErrors[GRAPH_KEYS.domains]).toBe('403 Forbidden');
  });
});
