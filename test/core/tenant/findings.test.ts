/** evaluation.md §5: tenant findings, with stable ids and severities. */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS, federationConfigurationKey, perUserMfaKey } from '../../../src/core/snapshot.js';
import type { TenantReport } from '../../../src/core/tenant/types.js';
import { ALICE, BOB, MFA_ALL, audit, complete, members, policy, user } from './build.js';

const ids = (r: TenantReport) => r.findings.map((f) => f.id);
const find = (r: TenantReport, id: string) => r.findings.find((f) => f.id === id)!;
const BLOCK_LEGACY = policy({
  id: 'p-leg',
  name: 'Block legacy',
  grant: { operator: 'OR', builtInControls: ['block'] },
  conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] },
});

describe('findings', () => {
  it('no enforcement at all (high)', () => {
    const r = audit(complete([ALICE], []));
    expect(find(r, 'no-mfa-enforcement').severity).toBe('high');
    expect(ids(audit(complete([ALICE], [MFA_ALL])))).not.toContain('no-mfa-enforcement');
  });
  it('report-only and disabled MFA policies', () => {
    const r = audit(
      complete(
        [ALICE],
        [
          MFA_ALL,
          policy({ id: 'p-ro', name: 'RO', state: 'enabledForReportingButNotEnforced' }),
          policy({ id: 'p-off', state: 'disabled' }),
        ],
      ),
    );
    const f = r.findings.filter((x) => x.id === 'mfa-policy-not-enforced');
    expect(f.map((x) => x.policyIds![0]).sort()).toEqual(['p-off', 'p-ro']);
    expect(f[0]!.message).toMatch(/report-only|disabled/);
  });
  it('an exclusion that opens a gap names the policy and the accounts', () => {
    const p = policy({ id: 'p-all', name: 'MFA all', users: { includeUsers: ['All'], excludeGroups: ['g-ex'] } });
    const r = audit(complete([ALICE, BOB], [p, BLOCK_LEGACY], members('g-ex', ALICE)));
    const f = find(r, 'policy-leaves-gap');
    expect(f.severity).toBe('high');
    expect(f.policyIds).toEqual(['p-all']);
    expect(f.accountIds).toEqual([ALICE.id]);
  });
  it('legacy authentication not blocked', () => {
    const modern = policy({ id: 'p', conditions: { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] } });
    const r = audit(complete([ALICE], [modern]));
    expect(find(r, 'legacy-authentication-not-blocked').severity).toBe('high');
    expect(ids(audit(complete([ALICE], [modern, BLOCK_LEGACY])))).not.toContain('legacy-authentication-not-blocked');
    // MFA for all stops legacy clients, but no explicit block: a medium finding.
    expect(find(audit(complete([ALICE], [MFA_ALL])), 'legacy-authentication-not-blocked').severity).toBe('medium');
  });
  it('covered but not registered', () => {
    const r = audit(
      complete([ALICE], [MFA_ALL], { [GRAPH_KEYS.registrationDetails]: [{ id: ALICE.id, isMfaRegistered: false }] }),
    );
    expect(find(r, 'mfa-not-registered').accountIds).toEqual([ALICE.id]);
  });
  it('Global Administrators without MFA', () => {
    const r = audit(
      complete([ALICE], [], {
        [GRAPH_KEYS.roleAssignments]: [
          {
            id: 'r',
            principalId: ALICE.id,
            roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
            directoryScopeId: '/',
          },
        ],
      }),
    );
    expect(find(r, 'global-admin-without-mfa').accountIds).toEqual([ALICE.id]);
  });
  it('partner agent groups with failing members', () => {
    const r = audit(
      complete([ALICE, BOB], [], {
        ...members('g-aa', ALICE),
        'v1.0/groups': [{ id: 'g-aa', displayName: 'AdminAgents' }],
      }),
    );
    const f = find(r, 'partner-agent-without-mfa');
    expect(f.message).toContain('AdminAgents');
    expect(f.accountIds).toEqual([ALICE.id]);
    expect(r.accounts.find((a) => a.id === ALICE.id)!.agentGroups).toEqual(['AdminAgents']);
  });
  it('guests relying on home-tenant MFA without inbound trust', () => {
    const g = user('u-g', 'g_f.com#EXT#@contoso.onmicrosoft.com', { userType: 'Guest', creationType: 'Invitation' });
    const members: G.ConditionalAccessUsers = { includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] };
    const r = audit(complete([g], [policy({ id: 'p', users: members })]));
    expect(find(r, 'guest-home-mfa-not-trusted').accountIds).toEqual(['u-g']);
  });
  it('security defaults, per-user MFA, federated domains and missing data are reported', () => {
    expect(ids(audit(complete([ALICE], [], { [GRAPH_KEYS.securityDefaults]: { isEnabled: true } })))).toContain(
      'security-defaults-limits',
    );
    expect(
      ids(audit(complete([ALICE], [], { [perUserMfaKey(ALICE.id!)]: { perUserMfaState: 'enforced' } }))),
    ).toContain('per-user-mfa-in-use');
    const fed = audit(
      complete([ALICE], [MFA_ALL], {
        [GRAPH_KEYS.domains]: [{ id: 'fabrikam.com', authenticationType: 'Federated' }],
        [federationConfigurationKey('fabrikam.com')]: [{ federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp' }],
      }),
    );
    expect(find(fed, 'federated-domain').message).toContain('rejectMfaByFederatedIdp');
    const missing = audit(complete([ALICE], [MFA_ALL], { [GRAPH_KEYS.roleAssignments]: undefined }));
    expect(find(missing, 'data-not-collected').message).toContain('RoleManagement.Read.Directory');
  });
});

it('a policy on user actions only is no enforcement (no-mfa-enforcement still reported)', () => {
  const ua = policy({
    id: 'p-ua',
    applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
  });
  expect(audit(complete([ALICE], [ua])).findings.map((f) => f.id)).toContain('no-mfa-enforcement');
});

describe('agent-only policies', () => {
  it('a report-only policy whose users are None (agent identities) raises no finding about people', () => {
    const agents = policy({
      id: 'p-agents',
      state: 'enabledForReportingButNotEnforced',
      users: { includeUsers: ['None'] },
    });
    (agents.conditions as Record<string, unknown>).clientApplications = {
      includeServicePrincipals: [],
      includeAgentIdServicePrincipals: ['All'],
    };
    const report = audit(complete([ALICE], [agents]));
    expect(report.findings.some((f) => f.id === 'mfa-policy-not-enforced')).toBe(false);
    const people = policy({ id: 'p-people', state: 'enabledForReportingButNotEnforced' });
    expect(audit(complete([ALICE], [people])).findings.some((f) => f.id === 'mfa-policy-not-enforced')).toBe(true);
  });
});
