/** evaluation.md §4, "A policy applies to an account when…": users, transitive groups, roles, guest types. */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import { account, ALICE, audit, BOB, complete, members, MFA_ALL, policy, user, users, verdictOf } from './build.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const assignment = (
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId = '/',
): G.UnifiedRoleAssignment => ({
  id: `${principalId}-${roleDefinitionId}`,
  principalId,
  roleDefinitionId,
  directoryScopeId,
});

describe('users', () => {
  it('a policy that names the user applies; one that names someone else does not', () => {
    expect(verdictOf([policy({ id: 'p', users: users({ includeUsers: [ALICE.id!] }) })]).verdict).toBe('pass');
    expect(verdictOf([policy({ id: 'p', users: users({ includeUsers: [BOB.id!] }) })]).verdict).toBe('fail');
  });
  it('includeUsers None applies to nobody', () => {
    expect(verdictOf([policy({ id: 'p', users: users({ includeUsers: ['None'] }) })]).verdict).toBe('fail');
  });
  it('an excluded user is not covered, and the gap names the exclusion', () => {
    const a = verdictOf([
      policy({ id: 'p', name: 'MFA', users: users({ includeUsers: ['All'], excludeUsers: [ALICE.id!] }) }),
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain("policy 'MFA' excludes the account by name");
    expect(a.gaps[0]!.policyIds).toEqual(['p']);
  });
});

describe('groups (transitive membership)', () => {
  it('a member of an included group (transitive members list) is covered', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeGroups: ['g1'] }) })], members('g1', ALICE));
    expect(a.verdict).toBe('pass');
  });
  it('a non-member is not', () => {
    expect(verdictOf([policy({ id: 'p', users: users({ includeGroups: ['g1'] }) })], members('g1', BOB)).verdict).toBe(
      'fail',
    );
  });
  it('a member of an excluded group is excluded, named in the gap', () => {
    const a = verdictOf(
      [policy({ id: 'p', name: 'MFA', users: users({ includeUsers: ['All'], excludeGroups: ['g1'] }) })],
      { ...members('g1', ALICE), 'v1.0/groups': [{ id: 'g1', displayName: 'MFA exclusions' }] },
    );
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain("excludes group 'MFA exclusions'");
  });
  it('an included group whose members were not collected makes the account unknown (not fail, not pass)', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeGroups: ['g-missing'] }) })]);
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('v1.0/groups/g-missing/transitiveMembers');
    expect(a.reasons.join(' ')).toContain('GroupMember.Read.All');
  });
  it('an excluded group whose members were not collected makes a covered account unknown', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeUsers: ['All'], excludeGroups: ['g-missing'] }) })]);
    expect(a.verdict).toBe('unknown');
  });
  it('an unknown group that only adds coverage cannot turn a proven gap into a pass', () => {
    const a = verdictOf([
      policy({ id: 'p1', users: users({ includeGroups: ['g-missing'] }), conditions: { clientAppTypes: ['browser'] } }),
    ]);
    // Whether or not alice is in the group, mobile apps are open: fail is proven.
    expect(a.verdict).toBe('fail');
  });
});

describe('directory roles', () => {
  it('a role held directly is included', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeRoles: [GA] }) })], {
      [GRAPH_KEYS.roleAssignments]: [assignment(ALICE.id!, GA)],
    });
    expect(a.verdict).toBe('pass');
    expect(a.roles).toEqual(['Global Administrator']);
  });
  it('a role held through a role-assignable group is included', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeRoles: [GA] }) })], {
      [GRAPH_KEYS.roleAssignments]: [
        { ...assignment('rg-1', GA), principal: { '@odata.type': '#microsoft.graph.group', id: 'rg-1' } },
      ],
      ...members('rg-1', ALICE),
    });
    expect(a.verdict).toBe('pass');
  });
  it('an excluded role opens a gap for its holders', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [GA] }) })], {
      [GRAPH_KEYS.roleAssignments]: [assignment(ALICE.id!, GA)],
    });
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain('excludes role Global Administrator');
  });
  it('role assignments not collected: a role-scoped policy gives unknown with the permission', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeRoles: [GA] }) })], {
      [GRAPH_KEYS.roleAssignments]: undefined,
    });
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('RoleManagement.Read.Directory');
  });
  it('a role assigned to a group whose members were not collected may be held by anyone: unknown', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [GA] }) })], {
      [GRAPH_KEYS.roleAssignments]: [assignment('rg-unknown', GA)],
    });
    expect(a.verdict).toBe('unknown');
  });
  it('a role assigned at an administrative-unit scope is only maybe held', () => {
    const a = verdictOf([policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [GA] }) })], {
      [GRAPH_KEYS.roleAssignments]: [assignment(ALICE.id!, GA, '/administrativeUnits/au-1')],
    });
    expect(a.verdict).toBe('unknown');
  });
});

describe('guests and external users', () => {
  const b2bGuest = user('00000000-0000-0000-0000-0000000000e1', 'eve_fabrikam.com#EXT#@contoso.onmicrosoft.com', {
    userType: 'Guest',
    externalUserState: 'Accepted',
    creationType: 'Invitation',
  });
  const internalGuest = user('00000000-0000-0000-0000-0000000000e2', 'ivan@contoso.com', { userType: 'Guest' });
  const b2bMember = user('00000000-0000-0000-0000-0000000000e3', 'max_fabrikam.com#EXT#@contoso.onmicrosoft.com', {
    userType: 'Member',
  });
  const guestPolicy = (
    types: string,
    kind: Record<string, unknown> = {
      '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
      membershipKind: 'all',
    },
  ) =>
    policy({
      id: 'p',
      users: users({
        includeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: types,
          externalTenants: kind,
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
    });
  it.each([
    [b2bGuest, 'b2bCollaborationGuest'],
    [internalGuest, 'internalGuest'],
    [b2bMember, 'b2bCollaborationMember'],
  ] as const)('%s is matched by its CA guest type %s', (u, type) => {
    expect(verdictOf([guestPolicy(type)], {}, u).verdict).toBe('pass');
    expect(verdictOf([guestPolicy('b2bDirectConnectUser,otherExternalUser,serviceProvider')], {}, u).verdict).toBe(
      'fail',
    );
  });
  it('an ambiguous user object (a Guest without #EXT# but invited) is included only by a policy naming both types', () => {
    const ambiguous = user('00000000-0000-0000-0000-0000000000e4', 'lena@contoso.com', {
      userType: 'Guest',
      externalUserState: 'Accepted',
    });
    expect(verdictOf([guestPolicy('b2bCollaborationGuest')], {}, ambiguous).verdict).toBe('unknown');
    expect(verdictOf([guestPolicy('internalGuest,b2bCollaborationGuest')], {}, ambiguous).verdict).toBe('pass');
  });
  it('guest kinds are classified as guest', () => {
    expect(verdictOf([], {}, b2bGuest).kind).toBe('guest');
    expect(verdictOf([], {}, b2bMember).kind).toBe('guest');
    expect(verdictOf([], {}, ALICE).kind).toBe('member');
  });
  it('enumerated external tenants cannot be matched from the user object: unknown', () => {
    const a = verdictOf(
      [
        guestPolicy('b2bCollaborationGuest', {
          '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
          membershipKind: 'enumerated',
          members: ['t1'],
        }),
      ],
      {},
      b2bGuest,
    );
    expect(a.verdict).toBe('unknown');
  });
  it('the legacy GuestsOrExternalUsers value includes and excludes guests', () => {
    expect(
      verdictOf([policy({ id: 'p', users: users({ includeUsers: ['GuestsOrExternalUsers'] }) })], {}, b2bGuest).verdict,
    ).toBe('pass');
    expect(
      verdictOf([policy({ id: 'p', users: users({ includeUsers: ['GuestsOrExternalUsers'] }) })], {}, ALICE).verdict,
    ).toBe('fail');
    const excluded = verdictOf(
      [policy({ id: 'p', users: users({ includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] }) })],
      {},
      b2bGuest,
    );
    expect(excluded.verdict).toBe('fail');
    expect(excluded.gaps[0]!.description).toContain('excludes guests and external users');
  });
  it('excludeGuestsOrExternalUsers excludes by type', () => {
    const p = policy({
      id: 'p',
      users: users({
        includeUsers: ['All'],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'b2bCollaborationGuest',
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
    });
    expect(verdictOf([p], {}, b2bGuest).verdict).toBe('fail');
    expect(verdictOf([p], {}, ALICE).verdict).toBe('pass');
  });
  it('a tenant of only guests: every guest gets a verdict', () => {
    const r = audit(complete([b2bGuest, b2bMember], [MFA_ALL]));
    expect(r.summary).toMatchObject({ accounts: 2, pass: 2 });
    expect(account(r, b2bGuest.userPrincipalName!).kind).toBe('guest');
  });
});
