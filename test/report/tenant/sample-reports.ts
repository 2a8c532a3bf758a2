/**
 * Hand-made TenantReports for the reporters' tests: the reporters are pure, so they are proven on reports written
 * out here rather than on whatever the engine currently says.
 */
import type { AccountResult, TenantReport } from '../../../src/core/tenant/types.js';

const TENANT = '4f8c2b1e-7d3a-4c5e-9b6f-1a2d3e4f5a6b';
const GENERATED = '2026-11-21T12:00:00.000Z';

function account(partial: Partial<AccountResult> & Pick<AccountResult, 'id' | 'userPrincipalName'>): AccountResult {
  return {
    displayName: partial.userPrincipalName.split('@')[0] ?? '',
    kind: 'member',
    verdict: 'pass',
    mechanisms: [],
    reasons: [],
    gaps: [],
    ...partial,
  };
}

const POLICY_ALL = '0b1c2d3e-0000-4000-8000-000000000002';
const POLICY_ADMINS = '0b1c2d3e-0000-4000-8000-000000000001';

/** mixedReport's first four accounts, in the order the report lists them. */
function mixedAccountsFirst(): AccountResult[] {
  return [
    account({
      id: '00000000-0000-4000-8000-000000000007',
      userPrincipalName: 'Zoe.Sales@contoso.com',
      displayName: 'Zoe Sales',
      verdict: 'fail',
      agentGroups: ['SalesAgents'],
      reasons: ['Conditional Access applies, but not on every sign-in'],
      gaps: [
        {
          description:
            "browser sign-in to any app from trusted location 'HQ': policy 'Require MFA for all users' excludes AllTrusted",
          policyIds: [POLICY_ALL],
        },
        {
          description: 'legacy client (exchangeActiveSync) sign-in to any app: no policy applies',
          policyIds: [],
        },
      ],
      partnerCenterImpact: 'App+User Partner Center API calls are rejected (401 "MFA required") since 1 April 2026.',
    }),
    account({
      id: '00000000-0000-4000-8000-000000000001',
      userPrincipalName: 'adele@contoso.com',
      displayName: 'Adele Vance',
      verdict: 'pass',
      mechanisms: ['conditional-access'],
      roles: ['Global Administrator'],
      agentGroups: ['AdminAgents'],
      reasons: ["every sign-in requires MFA: policy 'Require MFA for administrators'"],
    }),
    account({
      id: '00000000-0000-4000-8000-000000000003',
      userPrincipalName: 'breakglass01@contoso.onmicrosoft.com',
      displayName: 'Emergency access 01',
      kind: 'emergency',
      kindReason: 'name matches the emergency-account heuristic /break.?glass|emergency/',
      verdict: 'fail',
      roles: ['Global Administrator'],
      reasons: ['excluded from every MFA policy'],
      gaps: [
        {
          description:
            "any sign-in to any app: excluded by user from 'Require MFA for administrators' and 'Require MFA for all users'",
          policyIds: [POLICY_ADMINS, POLICY_ALL],
        },
      ],
      warnings: ['emergency accounts should use phishing-resistant MFA (FIDO2), not be excluded'],
    }),
    account({
      id: '00000000-0000-4000-8000-000000000004',
      userPrincipalName: 'Sync_DC01_1a2b3c4d5e6f@contoso.onmicrosoft.com',
      displayName: 'On-Premises Directory Synchronization Service Account',
      kind: 'sync',
      verdict: 'exempt',
      reasons: ['Entra Connect sync account (Directory Synchronization Accounts role): the stated exception'],
    }),
  ];
}

/** mixedReport's other five accounts, after mixedAccountsFirst. */
function mixedAccountsRest(): AccountResult[] {
  return [
    account({
      id: '00000000-0000-4000-8000-000000000005',
      userPrincipalName: 'jan.devries@fabrikam-legacy.com',
      displayName: 'Jan de Vries',
      verdict: 'unknown',
      reasons: [
        "domain fabrikam-legacy.com is federated (federatedIdpMfaBehavior acceptIfMfaDoneByFederatedIdp): MFA may happen at the federated IdP, which Graph cannot see; prove it with 'mfa-audit token'",
        'no Conditional Access policy requires MFA for this account',
      ],
    }),
    account({
      id: '00000000-0000-4000-8000-000000000006',
      userPrincipalName: 'partner_fabrikam.com#EXT#@contoso.onmicrosoft.com',
      displayName: 'Pat | Partner <Fabrikam>',
      kind: 'guest',
      verdict: 'pass',
      mechanisms: ['conditional-access'],
      reasons: ["every sign-in requires MFA: policy 'Require MFA for guests'"],
    }),
    account({
      id: '00000000-0000-4000-8000-000000000008',
      userPrincipalName: 'svc-scanner@contoso.com',
      displayName: 'Scan to e-mail',
      kind: 'service',
      kindReason: 'name matches /^svc[-_.]/',
      verdict: 'fail',
      gaps: [
        {
          description: "any sign-in to any app: group 'SG-CA-Exclusions' is excluded from every MFA policy",
          policyIds: [POLICY_ALL],
        },
      ],
      reasons: ['move this workload to a workload identity (service principal)'],
    }),
    account({
      id: '00000000-0000-4000-8000-000000000009',
      userPrincipalName: 'old.leaver@contoso.com',
      displayName: 'Old Leaver',
      verdict: 'exempt',
      accountEnabled: false,
      reasons: ['account is disabled (accountEnabled false): it cannot sign in'],
    }),
    account({
      id: '00000000-0000-4000-8000-000000000002',
      userPrincipalName: 'Bob@contoso.com',
      displayName: 'Bob',
      verdict: 'pass',
      mechanisms: ['per-user-mfa'],
      reasons: ['per-user MFA is enforced'],
      warnings: ['trusted-IP and remembered-device bypasses of per-user MFA cannot be seen through Graph'],
    }),
  ];
}

/** A tenant with every verdict and every kind, listed out of order on purpose. */
export function mixedReport(): TenantReport {
  const accounts: AccountResult[] = [...mixedAccountsFirst(), ...mixedAccountsRest()];
  return {
    tenantId: TENANT,
    generatedAt: GENERATED,
    summary: { accounts: 9, pass: 3, fail: 3, exempt: 2, unknown: 1 },
    findings: [
      { id: 'legacy-auth-not-blocked', severity: 'medium', message: 'Legacy authentication is not blocked.' },
      {
        id: 'report-only-mfa-policy',
        severity: 'low',
        message: "Policy 'Block legacy authentication' is report-only: it enforces nothing.",
        policyIds: ['0b1c2d3e-0000-4000-8000-000000000005'],
      },
      {
        id: 'location-exclusion',
        severity: 'high',
        message: "Policy 'Require MFA for all users' excludes AllTrusted: sign-ins from 'HQ' need no MFA.",
        policyIds: [POLICY_ALL],
      },
      { id: 'guest-inbound-trust', severity: 'info', message: 'Guests do MFA in this tenant (no inbound trust).' },
    ],
    accounts,
    source: { kind: 'snapshot', collectedAt: '2026-11-20T08:00:00Z', path: 'tenant.json' },
  };
}

/** A tenant with no user objects at all: everything still renders, and says so. */
export function emptyReport(): TenantReport {
  return {
    tenantId: TENANT,
    generatedAt: GENERATED,
    summary: { accounts: 0, pass: 0, fail: 0, exempt: 0, unknown: 0 },
    findings: [],
    accounts: [],
  };
}

/** Security defaults on: every account passes. */
export function passingReport(): TenantReport {
  const accounts = ['amy@contoso.com', 'ben@contoso.com'].map((upn, index) =>
    account({
      id: `00000000-0000-4000-8000-00000000010${index}`,
      userPrincipalName: upn,
      mechanisms: ['security-defaults'],
      reasons: ['security defaults are on'],
    }),
  );
  return {
    tenantId: TENANT,
    generatedAt: GENERATED,
    summary: { accounts: 2, pass: 2, fail: 0, exempt: 0, unknown: 0 },
    findings: [],
    accounts,
  };
}

/** Only unknowns: the headline says incomplete, never pass. */
export function incompleteReport(): TenantReport {
  const report = mixedReport();
  const accounts = report.accounts.filter((a) => a.verdict !== 'fail');
  return {
    ...report,
    accounts,
    summary: { accounts: accounts.length, pass: 3, fail: 0, exempt: 2, unknown: 1 },
  };
}

/** Many failing accounts, to prove the cap without --verbose. */
export function largeReport(count: number): TenantReport {
  const accounts = Array.from({ length: count }, (_, index) =>
    account({
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      userPrincipalName: `user${String(index).padStart(6, '0')}@contoso.com`,
      verdict: 'fail',
      gaps: [{ description: 'browser sign-in to any app: no policy applies', policyIds: [] }],
    }),
  );
  return {
    tenantId: TENANT,
    generatedAt: GENERATED,
    summary: { accounts: count, pass: 0, fail: count, exempt: 0, unknown: 0 },
    findings: [],
    accounts,
  };
}

const POLICY_EXCHANGE = '0b1c2d3e-0000-4000-8000-000000000007';
const WINDOW = { from: '2026-10-21T12:00:00Z', to: '2026-11-20T12:00:00Z' };

/** The What If key of a request: its canonical JSON (shortened here; the reporters only carry it). */
function whatIfKey(userId: string, app: string): string {
  return JSON.stringify({ appliedPoliciesOnly: false, applicationContext: { includeApplications: [app] }, userId });
}

/** Accounts whose gaps carry What If confirmations: confirmed, disputed (so unknown), not checkable. */
function evidenceAccountsConfirmed(): AccountResult[] {
  return [
    account({
      id: '00000000-0000-4000-8000-000000000201',
      userPrincipalName: 'carol@contoso.com',
      displayName: 'Carol Admin',
      verdict: 'fail',
      roles: ['Global Administrator'],
      reasons: ['Conditional Access applies, but not on every sign-in'],
      gaps: [
        {
          description: "browser sign-in to an app no policy names from trusted location 'HQ': no policy applies",
          policyIds: [POLICY_ALL],
          excludedBy: [POLICY_ALL],
          confirmation: {
            status: 'confirmed',
            reason: 'Entra says no enabled policy that demands MFA or blocks applies',
            entra: {
              key: whatIfKey('00000000-0000-4000-8000-000000000201', '00000003-0000-0000-c000-000000000000'),
              applies: [],
              stoppers: [],
              undetermined: [],
            },
          },
        },
        {
          description: 'sign-in from the MFA service trusted IPs: per-user MFA is skipped',
          policyIds: [],
          confirmation: {
            status: 'not-checkable',
            reason: "the MFA service's trusted IPs cannot be put to What If",
          },
        },
      ],
      evidence: {
        window: WINDOW,
        singleFactor: {
          count: 3,
          last: {
            time: '2026-11-20T07:41:09Z',
            app: 'Outlook | <Mobile>\u202e',
            client: 'Mobile Apps and Desktop clients',
            ip: '203.0.113.7',
            location: 'Amsterdam, NL',
          },
        },
        mfa: { count: 41 },
      },
    }),
    account({
      id: '00000000-0000-4000-8000-000000000202',
      userPrincipalName: 'dave@contoso.com',
      displayName: 'Dave',
      verdict: 'unknown',
      engineVerdict: 'fail',
      reasons: [
        "mfa-audit finds a gap (browser sign-in to 'Office 365 Exchange Online' from any location: no policy applies), " +
          "but Entra What If says policy 'Require MFA for Exchange' applies: the policies may have changed since the snapshot",
      ],
      gaps: [
        {
          description: "browser sign-in to 'Office 365 Exchange Online' from any location: no policy applies",
          policyIds: [],
          confirmation: {
            status: 'disputed',
            reason: 'Entra says an enabled policy that demands MFA applies',
            entra: {
              key: whatIfKey('00000000-0000-4000-8000-000000000202', '00000002-0000-0ff1-ce00-000000000000'),
              applies: [POLICY_EXCHANGE, POLICY_ALL],
              stoppers: [POLICY_EXCHANGE],
              undetermined: [],
            },
          },
        },
      ],
      evidence: { window: WINDOW, singleFactor: { count: 0 }, mfa: { count: 12 } },
    }),
  ];
}

/** Accounts whose verdict sign-ins speak to: a pass contradicted by a single-factor sign-in; a federated account. */
function evidenceAccountsSignIns(): AccountResult[] {
  return [
    account({
      id: '00000000-0000-4000-8000-000000000203',
      userPrincipalName: 'erik@contoso.com',
      displayName: 'Erik',
      verdict: 'unknown',
      engineVerdict: 'pass',
      mechanisms: ['conditional-access'],
      reasons: [
        "every sign-in requires MFA: policy 'Require MFA for all users'",
        'but a single-factor sign-in succeeded on 2026-11-19 (Azure Portal from 198.51.100.20) after the policies last changed',
      ],
      evidence: {
        window: WINDOW,
        singleFactor: {
          count: 1,
          last: {
            time: '2026-11-19T16:02:00Z',
            app: 'Azure Portal',
            client: 'Browser',
            ip: '198.51.100.20',
            location: '=HYPERLINK("x")',
          },
        },
        mfa: { count: 7 },
      },
    }),
    account({
      id: '00000000-0000-4000-8000-000000000204',
      userPrincipalName: 'fed.user@tailspin.example',
      displayName: 'Fed User',
      verdict: 'unknown',
      reasons: [
        'domain tailspin.example is federated: MFA may happen at the federated IdP',
        "every successful sign-in in the window shows MFA satisfied by the federated IdP's claim",
      ],
      evidence: { window: WINDOW, singleFactor: { count: 0 }, mfa: { count: 9, byFederatedClaim: 9 } },
    }),
    account({
      id: '00000000-0000-4000-8000-000000000205',
      userPrincipalName: 'gina@contoso.com',
      displayName: 'Gina',
      verdict: 'pass',
      mechanisms: ['conditional-access'],
      reasons: ["every sign-in requires MFA: policy 'Require MFA for all users'"],
      evidence: { window: WINDOW, singleFactor: { count: 0 }, mfa: { count: 23 } },
    }),
  ];
}

/**
 * A report of a snapshot holding What If answers and sign-in logs (evaluation.md §9): a confirmed, a disputed and a
 * not-checkable gap, sign-in evidence (untrusted app and location text among it), verdicts evidence changed.
 */
export function evidenceReport(): TenantReport {
  const accounts = [...evidenceAccountsConfirmed(), ...evidenceAccountsSignIns()];
  return {
    tenantId: TENANT,
    generatedAt: GENERATED,
    summary: { accounts: 5, pass: 1, fail: 1, exempt: 0, unknown: 3 },
    findings: [
      {
        id: 'what-if-disagrees',
        severity: 'high',
        message:
          "Entra What If disagrees with mfa-audit for dave@contoso.com: policy 'Require MFA for Exchange' applies to a sign-in mfa-audit found no policy for.",
        accountIds: ['00000000-0000-4000-8000-000000000202'],
        policyIds: [POLICY_EXCHANGE],
      },
      {
        id: 'sign-in-contradicts-pass',
        severity: 'high',
        message:
          'erik@contoso.com signed in without MFA on 2026-11-19 although the policies say every sign-in requires MFA.',
        accountIds: ['00000000-0000-4000-8000-000000000203'],
      },
    ],
    accounts,
    source: { kind: 'snapshot', collectedAt: '2026-11-20T12:00:00Z', path: 'tenant.json' },
    whatIf: {
      requests: 3,
      answered: 3,
      confirmed: 1,
      disputed: 1,
      inconclusive: 0,
      notCheckable: 1,
      spotChecks: { requests: 1, confirmed: 1, disputed: 0, inconclusive: 0 },
    },
    signIns: { window: WINDOW, truncated: true },
  };
}
