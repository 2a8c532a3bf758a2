/** The indexed signature builder (hot path) decides exactly like the plain per-policy targeting rules. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS, groupMembersKey } from '../../../src/core/snapshot.js';
import { buildDirectory } from '../../../src/core/tenant/directory.js';
import { compileSignatures, normalisePolicies } from '../../../src/core/tenant/policy.js';
import { applicabilityOf } from './reference.js';
import { classify } from '../../../src/core/tenant/classify.js';
import { complete, policy, user } from './build.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const OPTIONS = { breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };

describe('compileSignatures', () => {
  it('equals applicabilityOf for every user and policy (property)', () => {
    const ids = ['u0', 'u1', 'u2', 'u3'];
    const pick = (xs: string[]) => fc.subarray(xs);
    const usersArb = fc.record({
      includeUsers: pick(['All', 'None', 'GuestsOrExternalUsers', ...ids]),
      excludeUsers: pick(['GuestsOrExternalUsers', ...ids]),
      includeGroups: pick(['g0', 'g1', 'g-missing']),
      excludeGroups: pick(['g0', 'g1', 'g-missing']),
      includeRoles: pick([GA, 'role-2']),
      excludeRoles: pick([GA]),
      includeGuestsOrExternalUsers: fc.option(
        fc.constantFrom(
          { guestOrExternalUserTypes: 'b2bCollaborationGuest' },
          {
            guestOrExternalUserTypes: 'internalGuest',
            externalTenants: { membershipKind: 'enumerated', members: ['t'] },
          },
          {
            guestOrExternalUserTypes: 'b2bCollaborationMember',
            externalTenants: { membershipKind: 'enumerated', members: ['t'] },
          },
        ),
        { nil: null },
      ),
      excludeGuestsOrExternalUsers: fc.option(
        fc.constantFrom({ guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest' }),
        { nil: null },
      ),
    });
    fc.assert(
      fc.property(fc.array(usersArb, { minLength: 1, maxLength: 8 }), fc.boolean(), (conds, rolesCollected) => {
        const users = [
          user('u0', 'a@contoso.com'),
          user('u1', 'b_x.com#EXT#@contoso.onmicrosoft.com', { userType: 'Guest' }),
          user('u2', 'c@contoso.com', { userType: 'Guest' }),
          user('u3', 'd_y.com#EXT#@contoso.onmicrosoft.com'),
        ];
        const policies = conds.map((c, i) => policy({ id: `p${i}`, users: c as unknown as G.ConditionalAccessUsers }));
        const snap = complete(users, policies, {
          [groupMembersKey('g0')]: [{ id: 'u0' }, { id: 'u1' }],
          [groupMembersKey('g1')]: [{ id: 'u2' }],
          [GRAPH_KEYS.roleAssignments]: rolesCollected
            ? [
                { id: 'r', principalId: 'u0', roleDefinitionId: GA, directoryScopeId: '/' },
                { id: 'r2', principalId: 'u3', roleDefinitionId: GA, directoryScopeId: '/administrativeUnits/x' },
              ]
            : undefined,
        });
        const dir = buildDirectory(snap);
        const normalised = normalisePolicies(dir);
        const signatureOf = compileSignatures(dir, normalised);
        for (const u of dir.users) {
          const cls = classify(dir, u, OPTIONS, [], new Set(), new Set());
          expect(signatureOf(u.id, cls)).toBe(normalised.map((p) => applicabilityOf(dir, p, u.id, cls)).join(''));
        }
      }),
      { numRuns: 300 },
    );
  });
});
