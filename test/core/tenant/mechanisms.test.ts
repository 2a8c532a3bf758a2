/** evaluation.md §2–§3 and §6: exemptions, kinds, security defaults, per-user MFA, federation, impact, report shape. */
import { describe, expect, it } from 'vitest';
import { GRAPH_KEYS, federationConfigurationKey, perUserMfaKey } from '../../../src/core/snapshot.js';
import { usersNeedingPerUserMfaState } from '../../../src/core/tenant/audit.js';
import { ALICE, BOB, MFA_ALL, NOW, account, audit, complete, policy, user, verdictOf } from './build.js';

const SYNC_ROLE = 'd29b2b05-8046-44ba-8758-1e26182fcf32';
const OPTS = { now: NOW, breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };

describe('exempt accounts', () => {
  it('a disabled account is exempt, whatever its coverage', () => {
    const a = verdictOf([], {}, user('u-dis', 'old@contoso.com', { accountEnabled: false }));
    expect(a.verdict).toBe('exempt');
    expect(a.reasons[0]).toContain('disabled');
  });
  it('the holder of the Directory Synchronization Accounts role is kind sync and exempt', () => {
    const sync = user('u-sync', 'adsync@contoso.com');
    const a = verdictOf(
      [],
      {
        [GRAPH_KEYS.roleAssignments]: [
          { id: 'ra', principalId: 'u-sync', roleDefinitionId: SYNC_ROLE, directoryScopeId: '/' },
        ],
      },
      sync,
    );
    expect(a.kind).toBe('sync');
    expect(a.verdict).toBe('exempt');
  });
  it('the On Premises Directory Sync Account role counts too', () => {
    const a = verdictOf(
      [],
      {
        [GRAPH_KEYS.roleAssignments]: [
          {
            id: 'ra',
            principalId: 'u-s',
            roleDefinitionId: 'a92aed5d-d78a-4d16-b381-09adb37eb3b0',
            directoryScopeId: '/',
          },
        ],
      },
      user('u-s', 'x@contoso.com'),
    );
    expect(a.verdict).toBe('exempt');
  });
  it('the well-known Sync_ account name is sync (when role assignments cannot confirm or refute it)', () => {
    const a = verdictOf(
      [],
      { [GRAPH_KEYS.roleAssignments]: undefined },
      user('u-s2', 'Sync_DC01_1a2b3c4d5e6f@contoso.onmicrosoft.com'),
    );
    expect(a.kind).toBe('sync');
    expect(a.verdict).toBe('exempt');
    expect(a.kindReason).toContain('Sync_');
  });
  it('look-alike names are not the sync account (exempt would count like a pass)', () => {
    for (const upn of [
      'sync_team@contoso.com',
      'Sync_DC01_notahexvalue@contoso.onmicrosoft.com',
      'Sync_DC01_1a2b3c4d5e6f@contoso.com',
    ]) {
      const a = verdictOf([], {}, user('u-x', upn));
      expect(a.kind).not.toBe('sync');
      expect(a.verdict).toBe('fail');
    }
  });
});

describe('kinds with no exception', () => {
  it('--break-glass accounts are emergency and still fail without MFA, with advice', () => {
    const bg = user('u-bg', 'emergency-admin@contoso.com');
    const r = audit(complete([bg], []), { breakGlass: ['EMERGENCY-ADMIN@contoso.com'] });
    const a = account(r, bg.userPrincipalName!);
    expect(a.kind).toBe('emergency');
    expect(a.kindReason).toBe('listed in --break-glass');
    expect(a.verdict).toBe('fail');
    expect(a.reasons.join(' ')).toContain('phishing-resistant');
  });
  it('the emergency naming heuristic is named in kindReason', () => {
    const a = verdictOf([], {}, user('u-bg2', 'breakglass01@contoso.com'));
    expect(a.kind).toBe('emergency');
    expect(a.kindReason).toContain('heuristic');
  });
  it('--service-accounts patterns and UPNs make service accounts; they fail like everyone, with advice', () => {
    const s1 = user('u-s1', 'scanner01@contoso.com');
    const s2 = user('u-s2', 'backup-robot@contoso.com');
    const r = audit(complete([s1, s2], []), {
      serviceAccounts: { patterns: ['^scanner'], upns: ['backup-robot@contoso.com'] },
    });
    expect(account(r, s1.userPrincipalName!).kind).toBe('service');
    expect(account(r, s1.userPrincipalName!).kindReason).toContain('pattern');
    expect(account(r, s2.userPrincipalName!).kindReason).toBe('listed in --service-accounts');
    expect(account(r, s2.userPrincipalName!).verdict).toBe('fail');
    expect(account(r, s2.userPrincipalName!).reasons.join(' ')).toContain('workload identity');
  });
  it('the service naming heuristic is named in kindReason', () => {
    const a = verdictOf([MFA_ALL], {}, user('u-svc', 'svc-backup@contoso.com'));
    expect(a.kind).toBe('service');
    expect(a.kindReason).toContain('heuristic');
    expect(a.verdict).toBe('pass');
  });
});

describe('security defaults', () => {
  it('on: every account passes with mechanism security-defaults, and the report says what it does not guarantee', () => {
    const a = verdictOf([], { [GRAPH_KEYS.securityDefaults]: { isEnabled: true } });
    expect(a.verdict).toBe('pass');
    expect(a.mechanisms).toEqual(['security-defaults']);
    expect(a.warnings!.join(' ')).toContain('administrators get MFA on every sign-in');
  });
  it('on decides even when everything else is missing', () => {
    const snap = {
      format: 'mfa-audit-snapshot/1' as const,
      tenantId: 't',
      collectedAt: 'x',
      graph: { [GRAPH_KEYS.users]: [ALICE], [GRAPH_KEYS.securityDefaults]: { isEnabled: true } },
    };
    expect(audit(snap).accounts[0]!.verdict).toBe('pass');
  });
  it('not collected and no CA policies collected: unknown, naming the key and permission', () => {
    const snap = {
      format: 'mfa-audit-snapshot/1' as const,
      tenantId: 't',
      collectedAt: 'x',
      graph: { [GRAPH_KEYS.users]: [ALICE] },
    };
    const a = audit(snap).accounts[0]!;
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('Policy.Read.All');
  });
  it('not collected but an enabled CA policy exists: security defaults are off by necessity, CA decides', () => {
    const a = verdictOf([policy({ id: 'p', conditions: { clientAppTypes: ['browser'] } })], {
      [GRAPH_KEYS.securityDefaults]: undefined,
    });
    expect(a.verdict).toBe('fail');
    expect(verdictOf([MFA_ALL], { [GRAPH_KEYS.securityDefaults]: undefined }).verdict).toBe('pass');
  });
});

describe('per-user MFA', () => {
  it('enforced passes with the per-user-mfa mechanism and a warning about app passwords and invisible bypasses', () => {
    const a = verdictOf([], { [perUserMfaKey(ALICE.id!)]: { perUserMfaState: 'enforced' } });
    expect(a.verdict).toBe('pass');
    expect(a.mechanisms).toEqual(['per-user-mfa']);
    expect(a.warnings!.join(' ')).toContain('trusted-IP');
    expect(a.warnings!.join(' ')).toContain('app passwords');
  });
  it('disabled is not MFA; an unknown future value may be: unknown', () => {
    expect(verdictOf([], { [perUserMfaKey(ALICE.id!)]: { perUserMfaState: 'disabled' } }).verdict).toBe('fail');
    const a = verdictOf([], { [perUserMfaKey(ALICE.id!)]: { perUserMfaState: 'unknownFutureValue' } });
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain("'unknownFutureValue', a value mfa-audit does not model");
  });
  it('not collected: a CA gap cannot be a proven fail (per-user MFA might still enforce), so unknown with the gap', () => {
    const a = verdictOf([], { [perUserMfaKey(ALICE.id!)]: undefined });
    expect(a.verdict).toBe('unknown');
    expect(a.gaps).toHaveLength(1);
    expect(a.reasons.join(' ')).toContain(`beta/users/${ALICE.id}/authentication/requirements`);
  });
  it('usersNeedingPerUserMfaState lists exactly the users no other mechanism decides', () => {
    const covered = user('u-c', 'covered@contoso.com');
    const p = policy({ id: 'p', users: { includeUsers: [covered.id!] } });
    const snap = complete([ALICE, covered, user('u-off', 'off@contoso.com', { accountEnabled: false })], [p]);
    for (const k of Object.keys(snap.graph)) if (k.startsWith('beta/')) delete snap.graph[k];
    expect(usersNeedingPerUserMfaState(snap, OPTS)).toEqual([ALICE.id]);
    snap.graph[GRAPH_KEYS.securityDefaults] = { isEnabled: true };
    expect(usersNeedingPerUserMfaState(snap, OPTS)).toEqual([]);
  });
});

describe('federated domains', () => {
  const fedUser = user('u-fed', 'fiona@fabrikam.com');
  const domains = (behavior: string | null | undefined) => ({
    [GRAPH_KEYS.domains]: [
      { id: 'contoso.com', authenticationType: 'Managed' },
      { id: 'fabrikam.com', authenticationType: 'Federated' },
    ],
    ...(behavior === undefined
      ? {}
      : { [federationConfigurationKey('fabrikam.com')]: [{ id: 'f1', federatedIdpMfaBehavior: behavior }] }),
  });
  it('an uncovered federated account is unknown, reporting federatedIdpMfaBehavior and `mfa-audit token`', () => {
    const a = verdictOf([], domains('acceptIfMfaDoneByFederatedIdp'), fedUser);
    expect(a.verdict).toBe('unknown');
    expect(a.mechanisms).toEqual(['federated-idp']);
    expect(a.reasons.join(' ')).toContain('acceptIfMfaDoneByFederatedIdp');
    expect(a.reasons.join(' ')).toContain('mfa-audit token');
    expect(a.partnerCenterImpact).toContain('federated account');
  });
  it('a covered federated account passes by CA', () => {
    expect(verdictOf([MFA_ALL], domains(null), fedUser).verdict).toBe('pass');
  });
  it('domains not collected: a CA gap cannot be a proven fail', () => {
    const a = verdictOf([], { [GRAPH_KEYS.domains]: undefined }, fedUser);
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('Domain.Read.All');
  });
  it('onmicrosoft.com accounts are never federated', () => {
    expect(verdictOf([], { [GRAPH_KEYS.domains]: undefined }, user('u-x', 'x@contoso.onmicrosoft.com')).verdict).toBe(
      'fail',
    );
  });
});

describe('cross-tenant inbound trust and registration', () => {
  const guest = user('u-g', 'g_fabrikam.com#EXT#@contoso.onmicrosoft.com', {
    userType: 'Guest',
    creationType: 'Invitation',
  });
  it('guests are told whether home-tenant MFA is accepted', () => {
    const trusted = verdictOf(
      [MFA_ALL],
      { [GRAPH_KEYS.crossTenantDefault]: { inboundTrust: { isMfaAccepted: true } } },
      guest,
    );
    expect(trusted.reasons.join(' ')).toContain('accepts MFA done in the guest');
    const untrusted = verdictOf([MFA_ALL], {}, guest);
    expect(untrusted.reasons.join(' ')).toContain('does not accept home-tenant MFA');
  });
  it('a covered account with isMfaRegistered false gets a warning', () => {
    const a = verdictOf([MFA_ALL], {
      [GRAPH_KEYS.registrationDetails]: [
        { id: ALICE.id, userPrincipalName: ALICE.userPrincipalName, isMfaRegistered: false },
      ],
    });
    expect(a.verdict).toBe('pass');
    expect(a.warnings!.join(' ')).toContain('Not registered');
  });
});

describe('report shape', () => {
  it('every user object exactly once, sorted by UPN then id, summary counts, generatedAt = now', () => {
    const dup1 = user('b-2', 'same@contoso.com');
    const dup2 = user('a-1', 'same@contoso.com');
    const r = audit(
      complete([BOB, dup1, ALICE, dup2, user('u-off', 'zed@contoso.com', { accountEnabled: false })], [MFA_ALL]),
    );
    expect(r.accounts.map((a) => a.id)).toEqual([ALICE.id, BOB.id, 'a-1', 'b-2', 'u-off']);
    expect(r.summary).toEqual({ accounts: 5, pass: 4, fail: 0, exempt: 1, unknown: 0 });
    expect(r.generatedAt).toBe(NOW.toISOString());
    expect(r.tenantId).toBe(complete([], []).tenantId);
  });
  it('fail accounts carry at least one gap and the Partner Center impact', () => {
    const a = verdictOf([]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps.length).toBeGreaterThan(0);
    expect(a.partnerCenterImpact).toContain('1 April 2026');
    expect(a.partnerCenterImpact).toContain('GDAP');
  });
  it('every unknown names what is missing', () => {
    const snap = {
      format: 'mfa-audit-snapshot/1' as const,
      tenantId: 't',
      collectedAt: 'x',
      graph: { [GRAPH_KEYS.users]: [ALICE] },
    };
    const a = audit(snap).accounts[0]!;
    expect(a.reasons.join(' ')).toMatch(/not collected.*needs/);
  });
});

it('an unknown repeats what collection recorded about the missing key', () => {
  const snap = complete([ALICE], []);
  delete snap.graph[perUserMfaKey(ALICE.id!)];
  snap.collectionErrors = { [perUserMfaKey('{id}')]: '403 Forbidden: the token lacks Policy.Read.All' };
  const a = audit(snap).accounts[0]!;
  expect(a.verdict).toBe('unknown');
  expect(a.reasons.join(' ')).toContain('collection said: 403 Forbidden');
});
