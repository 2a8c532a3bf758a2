/** Each class of wrong verdict seen on real tenants, in the shapes real exports have: the verdict and its reason. */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS, federationConfigurationKey, perUserMfaKey } from '../../../src/core/snapshot.js';
import { ALICE, MFA_ALL, policy, users, verdictOf } from './build.js';

const BLOCK = { operator: 'OR', builtInControls: ['block'] } satisfies G.ConditionalAccessGrantControls;
const BLOCK_LEGACY = policy({
  id: 'p-legacy',
  grant: BLOCK,
  conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] },
});
const withConditions = (c: Record<string, unknown>) => {
  const p = policy({ id: 'p-beta', name: 'MFA all (beta export)' });
  Object.assign(p.conditions as Record<string, unknown>, c);
  return p;
};

describe('beta-only device state conditions', () => {
  it('excludeDeviceStates Compliant opens compliant devices: fail with that gap', () => {
    const a = verdictOf([
      withConditions({ devices: { includeDeviceStates: ['All'], excludeDeviceStates: ['Compliant'] } }),
      BLOCK_LEGACY,
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.device.compliant).toBe(true);
  });
  it('the older deviceStates.excludeStates DomainJoined opens hybrid-joined devices', () => {
    const a = verdictOf([
      withConditions({ deviceStates: { includeStates: ['All'], excludeStates: ['DomainJoined'] } }),
      BLOCK_LEGACY,
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.device.domainJoined).toBe(true);
  });
  it('beta policies replace v1.0 ones when collected', () => {
    const beta = withConditions({ devices: { excludeDeviceStates: ['Compliant'] } });
    expect(
      verdictOf([MFA_ALL, BLOCK_LEGACY], {
        [GRAPH_KEYS.conditionalAccessPoliciesBeta]: [{ ...beta, id: MFA_ALL.id }, BLOCK_LEGACY],
      }).verdict,
    ).toBe('fail');
  });
  it('a condition Graph adds later never helps to pass, and names the field', () => {
    const a = verdictOf([withConditions({ agentIdRiskLevels: 'high' }), BLOCK_LEGACY]);
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('conditions.agentIdRiskLevels');
  });
  it('an unknown keyword in excludeApplications may exclude any app: unknown', () => {
    const a = verdictOf([
      policy({ id: 'p', applications: { includeApplications: ['All'], excludeApplications: ['AllAgentIdResources'] } }),
      BLOCK_LEGACY,
    ]);
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('AllAgentIdResources');
  });
});

describe('per-user MFA enabled', () => {
  const enabled = { [perUserMfaKey(ALICE.id!)]: { perUserMfaState: 'enabled' } };
  it('without a legacy block: legacy clients still sign in with the password (fail)', () => {
    const a = verdictOf([], enabled);
    expect(a.verdict).toBe('fail');
    expect(['exchangeActiveSync', 'other']).toContain(a.gaps[0]!.example!.clientAppType);
  });
  it('with legacy authentication blocked: pass through per-user MFA and Conditional Access', () => {
    const a = verdictOf([BLOCK_LEGACY], enabled);
    expect(a.verdict).toBe('pass');
    expect(a.mechanisms).toEqual(['per-user-mfa', 'conditional-access']);
  });
});

describe('federation that rejects the IdP MFA', () => {
  const fed = (behavior: string) => ({
    [GRAPH_KEYS.domains]: [{ id: 'contoso.com', authenticationType: 'Federated', isVerified: true }],
    [federationConfigurationKey('contoso.com')]: [{ id: 'f1', federatedIdpMfaBehavior: behavior }],
  });
  it('rejectMfaByFederatedIdp with no Entra mechanism: fail', () => {
    const a = verdictOf([], fed('rejectMfaByFederatedIdp'));
    expect(a.verdict).toBe('fail');
    expect(a.reasons.join(' ')).toContain('rejectMfaByFederatedIdp');
  });
  it.each(['acceptIfMfaDoneByFederatedIdp', 'enforceMfaByFederatedIdp', 'unknownFutureValue'])('%s: unknown', (b) => {
    expect(verdictOf([], fed(b)).verdict).toBe('unknown');
  });
});

describe('app groups and service principals', () => {
  const LOB = '11111111-2222-4333-8444-555555555555';
  const o365Policy = policy({ id: 'p-o365', applications: { includeApplications: ['Office365'] } });
  const lobPolicy = policy({ id: 'p-lob', applications: { includeApplications: ['All'], excludeApplications: [LOB] } });
  it('without service principals the tenant app may be in Office 365: unknown', () => {
    expect(verdictOf([lobPolicy, o365Policy, BLOCK_LEGACY]).verdict).toBe('unknown');
  });
  it('an app owned outside Microsoft is in neither group: the decision is certain', () => {
    const sps = {
      [GRAPH_KEYS.servicePrincipals]: [
        {
          id: 'sp1',
          appId: LOB,
          displayName: 'Contoso CRM',
          appOwnerOrganizationId: '0badf00d-0000-4000-8000-000000000001',
        },
      ],
    };
    const a = verdictOf([lobPolicy, o365Policy, BLOCK_LEGACY], sps);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain('Contoso CRM');
  });
});

describe('roles that can be activated (PIM)', () => {
  const GA = '62e90394-69f5-4237-9190-012177145e10';
  const excludesGa = policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [GA] }) });
  it('eligibility not collected: an exclusion by role is unknown for accounts nothing else covers', () => {
    const a = verdictOf([excludesGa, BLOCK_LEGACY], { [GRAPH_KEYS.roleEligibility]: undefined });
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('eligibility');
  });
  it('eligible for an excluded role counts as excluded: fail', () => {
    const a = verdictOf([excludesGa, BLOCK_LEGACY], {
      [GRAPH_KEYS.roleEligibility]: [{ id: 'e1', principalId: ALICE.id, roleDefinitionId: GA, directoryScopeId: '/' }],
    });
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain('eligible');
  });
  it('eligibility collected and none: pass', () => {
    expect(verdictOf([excludesGa, BLOCK_LEGACY]).verdict).toBe('pass');
  });
});
