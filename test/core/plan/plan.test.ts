/**
 * plan audits the baseline only where the change can matter. A policy whose only change is whom it targets
 * (its users condition) re-evaluates only the accounts it now treats differently: its letter for them changed, or
 * the words it gives them (how they are excluded) changed. Every baseline account equals a fresh audit's.
 */
import { describe, expect, it } from 'vitest';
import { applyChangeSet } from '../../../src/core/plan/apply.js';
import { auditBothStates } from '../../../src/core/plan/plan.js';
import { audit, complete, members, NOW, policy, user, users } from '../tenant/build.js';

const CONTRACTORS = 'a1b2c3d4-0000-4000-8000-0000000000c0';
const VENDORS = 'a1b2c3d4-0000-4000-8000-0000000000d0';
const ALICE = user('00000000-0000-4000-8000-00000000a11c', 'alice@contoso.com');
const BOB = user('00000000-0000-4000-8000-000000000b0b', 'bob@contoso.com');
const CAROL = user('00000000-0000-4000-8000-00000000ca01', 'carol@contoso.com');
const OPTIONS = { now: NOW, breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };

const mfaForAll = (excludeGroups: string[]) =>
  policy({
    id: 'ca-mfa-all',
    name: 'Require MFA for all users',
    users: users({ includeUsers: ['All'], excludeGroups }),
  });

function baseline() {
  return complete([ALICE, BOB, CAROL], [mfaForAll([CONTRACTORS])], {
    'v1.0/groups': [
      { id: CONTRACTORS, displayName: 'Contractors' },
      { id: VENDORS, displayName: 'Vendors' },
    ],
    ...members(CONTRACTORS, ALICE),
    ...members(VENDORS, ALICE, BOB),
  });
}

function both(excludeGroups: string[]) {
  const base = baseline();
  const proposed = applyChangeSet(base, {
    objects: [{ kind: 'policy', value: mfaForAll(excludeGroups) as Record<string, unknown> }],
    remove: [],
  });
  return auditBothStates(base, proposed.snapshot, OPTIONS);
}

describe('the baseline audited where a retargeted policy can matter', () => {
  it('re-evaluates only the accounts whose letter changed when an exclusion group is added', () => {
    const result = both([CONTRACTORS, VENDORS]);
    // Bob is newly excluded; Alice was and is excluded through Contractors (same words); Carol is targeted alike.
    expect(result.reevaluated).toBe(1);
    expect(result.before.accounts).toEqual(audit(baseline()).accounts);
  });

  it('re-evaluates an account excluded in both states when the words of its exclusion change', () => {
    // Vendors listed first: Alice is now excluded "through Vendors", before "through Contractors".
    const result = both([VENDORS, CONTRACTORS]);
    expect(result.reevaluated).toBe(2);
    const fresh = audit(baseline());
    expect(result.before.accounts).toEqual(fresh.accounts);
    const alice = fresh.accounts.find((a) => a.id === ALICE.id)!;
    expect(JSON.stringify(alice.gaps)).toContain('Contractors');
  });
});
