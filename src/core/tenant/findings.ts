/**
 * Tenant findings (evaluation.md §5): what the per-account verdicts add up to, with stable ids and severities.
 * Ids are fixed strings (one finding per id, or per id and policy): scripts and baselines may rely on them.
 */
import type { AccountEvaluation, EngineState } from './engine-types.js';
import type { Finding } from './types.js';
import { GRAPH_KEYS } from '../snapshot.js';
import { PARTNER_AGENT_GROUPS, PERMISSION_HINTS, ROLE } from './constants.js';
import { appliesSomewhere, isStopper } from './ca.js';
import { holdsRole } from './directory.js';

const FINDING_IDS = {
  noEnforcement: 'no-mfa-enforcement',
  policyNotEnforced: 'mfa-policy-not-enforced',
  exclusionGap: 'policy-leaves-gap',
  legacyAuth: 'legacy-authentication-not-blocked',
  notRegistered: 'mfa-not-registered',
  globalAdmin: 'global-admin-without-mfa',
  agentGroup: 'partner-agent-without-mfa',
  guestTrust: 'guest-home-mfa-not-trusted',
  securityDefaults: 'security-defaults-limits',
  perUser: 'per-user-mfa-in-use',
  notCollected: 'data-not-collected',
  federated: 'federated-domain',
} as const;

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function sample(evals: AccountEvaluation[], max = 5): string {
  const upns = evals.slice(0, max).map((e) => e.result.userPrincipalName || e.result.id);
  return upns.join(', ') + (evals.length > max ? ', …' : '');
}

/** What every rule reads: the engine state and the evaluations, split by verdict once. */
interface FindingInput {
  state: EngineState;
  /** Accounts that are not exempt. */
  active: AccountEvaluation[];
  failing: AccountEvaluation[];
  /** Failing or unknown. */
  notPassing: AccountEvaluation[];
}

/** One finding id's rule: the findings of that id (none, one, or one per policy, group or domain). */
type Rule = (input: FindingInput) => Finding[];

/** No enforcement at all. */
const noEnforcement: Rule = ({ state, active }) => {
  const { dir, enabled } = state;
  // A policy that targets no user (agent identities only) enforces nothing on people.
  const mfaPolicies = enabled.filter(
    (p) => !p.targetsNoUser && isStopper(p, false) && appliesSomewhere(state.space, p),
  );
  if (dir.securityDefaults === true || !dir.caPolicies || mfaPolicies.length > 0) return [];
  const perUserOnly = active.filter((e) => e.result.mechanisms.includes('per-user-mfa')).length;
  return [
    {
      id: FINDING_IDS.noEnforcement,
      severity: 'high',
      message:
        `No MFA enforcement: security defaults are ${dir.securityDefaults === false ? 'off' : 'not known to be on'} and no enabled ` +
        `Conditional Access policy requires MFA or blocks${perUserOnly ? ` (only per-user MFA covers ${count(perUserOnly, 'account')})` : ''}.`,
    },
  ];
};

/** Policies that would require MFA but do not enforce. */
const policyNotEnforced: Rule = ({ state }) => {
  const findings: Finding[] = [];
  for (const p of state.policies) {
    // Agent-only and workload-identity policies (users None) concern no person.
    if (p.state === 'enabled' || !p.targetsUsers || p.targetsNoUser) continue;
    if (!(p.grant.block || p.grant.requiresMfa !== 'no' || p.grant.summary.includes('mfa'))) continue;
    findings.push({
      id: FINDING_IDS.policyNotEnforced,
      severity: 'medium',
      message:
        `Policy '${p.name}' (${p.grant.summary}) is ${p.state === 'enabledForReportingButNotEnforced' ? 'report-only' : p.state}: ` +
        'it enforces nothing and counts for no account.',
      policyIds: [p.id],
    });
  }
  return findings;
};

/** Policies whose exclusions or conditions let accounts through. */
const exclusionGap: Rule = ({ state, failing }) => {
  const byPolicy = new Map<string, AccountEvaluation[]>();
  // Accounts of one signature share their gap list: its policy ids are worked out once per list.
  const idsOfGaps = new Map<unknown, Set<string>>();
  for (const e of failing) {
    let ids = idsOfGaps.get(e.result.gaps);
    if (!ids) idsOfGaps.set(e.result.gaps, (ids = new Set(e.result.gaps.flatMap((g) => g.excludedBy ?? []))));
    for (const id of ids) {
      let list = byPolicy.get(id);
      if (!list) byPolicy.set(id, (list = []));
      list.push(e);
    }
  }
  const findings: Finding[] = [];
  for (const p of state.enabled) {
    const list = byPolicy.get(p.id);
    if (!list || !isStopper(p, false)) continue;
    const example = list[0]!.result.gaps.find((g) => g.excludedBy?.includes(p.id));
    findings.push({
      id: FINDING_IDS.exclusionGap,
      severity: 'high',
      message:
        `Policy '${p.name}' ${p.grant.block ? 'blocks' : 'requires MFA'} but its exclusions let ${count(list.length, 'account')} through ` +
        `(${sample(list)}); e.g. ${example?.description ?? ''}`,
      policyIds: [p.id],
      accountIds: list.map((e) => e.result.id),
    });
  }
  return findings;
};

/** Legacy authentication: a gap through legacy clients, or no policy that blocks them for all users. */
const legacyAuth: Rule = ({ state, notPassing }) => {
  const { dir, enabled } = state;
  const legacy = notPassing.filter((e) =>
    e.result.gaps.some(
      (g) => g.example && (g.example.clientAppType === 'exchangeActiveSync' || g.example.clientAppType === 'other'),
    ),
  );
  const legacyBlockedSomewhere = enabled.some((p) => {
    const types = Array.isArray((p.raw.conditions as Record<string, unknown> | undefined)?.clientAppTypes)
      ? ((p.raw.conditions as Record<string, unknown>).clientAppTypes as unknown[])
      : [];
    return (
      p.grant.block &&
      (types.includes('exchangeActiveSync') || types.includes('other')) &&
      p.includeUsers.includes('All')
    );
  });
  if (dir.securityDefaults === true || !dir.caPolicies || (legacy.length === 0 && legacyBlockedSomewhere)) return [];
  return [
    {
      id: FINDING_IDS.legacyAuth,
      severity: legacy.length > 0 ? 'high' : 'medium',
      message:
        legacy.length > 0
          ? `Legacy authentication (Exchange ActiveSync, IMAP/POP/SMTP) gets through without MFA for ${count(legacy.length, 'account')} (${sample(legacy)}): add a policy that blocks the exchangeActiveSync and other client app types for all users.`
          : 'No enabled policy blocks legacy authentication (clientAppTypes exchangeActiveSync and other) for all users; ' +
            'the MFA policies stop it today only because legacy clients cannot perform MFA.',
      ...(legacy.length ? { accountIds: legacy.map((e) => e.result.id) } : {}),
    },
  ];
};

/** Covered but not registered. */
const notRegistered: Rule = ({ state, active }) => {
  const unregistered = active.filter(
    (e) => e.result.verdict === 'pass' && state.dir.registration?.get(e.result.id) === false,
  );
  if (!unregistered.length) return [];
  return [
    {
      id: FINDING_IDS.notRegistered,
      severity: 'medium',
      message:
        `${count(unregistered.length, 'account')} must do MFA but ${unregistered.length === 1 ? 'has' : 'have'} not registered a method (${sample(unregistered)}): ` +
        'a password thief could register first. Require registration (or use Temporary Access Pass onboarding).',
      accountIds: unregistered.map((e) => e.result.id),
    },
  ];
};

/** Global Administrators without MFA. */
const globalAdmin: Rule = ({ state, notPassing }) => {
  const admins = notPassing.filter((e) => holdsRole(state.dir, e.result.id, ROLE.globalAdministrator) === 'yes');
  if (!admins.length) return [];
  return [
    {
      id: FINDING_IDS.globalAdmin,
      severity: 'high',
      message: `${count(admins.length, 'Global Administrator')} not proven to face MFA on every sign-in (${sample(admins)}).`,
      accountIds: admins.map((e) => e.result.id),
    },
  ];
};

/** Members of the partner agent groups without MFA (one finding per group). */
const agentGroup: Rule = ({ notPassing }) => {
  const findings: Finding[] = [];
  for (const group of PARTNER_AGENT_GROUPS) {
    const members = notPassing.filter((e) => e.result.agentGroups?.includes(group));
    if (!members.length) continue;
    findings.push({
      id: FINDING_IDS.agentGroup,
      severity: 'high',
      message:
        `${group}: ${count(members.length, 'member')} not proven to face MFA (${sample(members)}); partner agents ` +
        'need MFA that Entra can verify for Partner Center and GDAP/AOBO access.',
      accountIds: members.map((e) => e.result.id),
    });
  }
  return findings;
};

/** Guests relying on home-tenant MFA without inbound trust. */
const guestTrust: Rule = ({ state, notPassing }) => {
  const { dir } = state;
  const externalGuests = notPassing.filter((e) => e.cls.guestOrExternal && !e.cls.guestTypes.includes('internalGuest'));
  if (!externalGuests.length || dir.inboundMfaAccepted === true) return [];
  return [
    {
      id: FINDING_IDS.guestTrust,
      severity: 'medium',
      message:
        `${count(externalGuests.length, 'external guest')} not covered by an MFA policy here (${sample(externalGuests)}), and the ` +
        `default inbound cross-tenant trust ${dir.inboundMfaAccepted === undefined ? 'was not collected' : 'does not accept'} home-tenant MFA: ` +
        'require MFA for guests and consider trusting MFA from their home tenants (inboundTrust.isMfaAccepted).',
      accountIds: externalGuests.map((e) => e.result.id),
    },
  ];
};

/** Security defaults are on: what they do not guarantee. */
const securityDefaults: Rule = ({ state }) => {
  if (state.dir.securityDefaults !== true) return [];
  return [
    {
      id: FINDING_IDS.securityDefaults,
      severity: 'info',
      message:
        'Security defaults are on: accepted by the partner requirements, but only administrators get MFA on every ' +
        'sign-in; other users are challenged when Entra judges it necessary. Conditional Access gives per-sign-in proof.',
    },
  ];
};

/** Accounts that rely on per-user MFA alone. */
const perUser: Rule = ({ active }) => {
  const perUserOnly = active.filter(
    (e) => e.result.verdict === 'pass' && e.result.mechanisms.length === 1 && e.result.mechanisms[0] === 'per-user-mfa',
  );
  if (!perUserOnly.length) return [];
  return [
    {
      id: FINDING_IDS.perUser,
      severity: 'low',
      message:
        `${count(perUserOnly.length, 'account')} ${perUserOnly.length === 1 ? 'relies' : 'rely'} on legacy per-user MFA alone (${sample(perUserOnly)}): its trusted-IP and ` +
        'remembered-device bypasses are invisible to Graph; move them to Conditional Access.',
      accountIds: perUserOnly.map((e) => e.result.id),
    },
  ];
};

/** Each federated domain, with its federatedIdpMfaBehavior. */
const federated: Rule = ({ state }) => {
  const findings: Finding[] = [];
  for (const d of state.dir.domains?.values() ?? []) {
    if (d.authenticationType.toLowerCase() !== 'federated') continue;
    findings.push({
      id: FINDING_IDS.federated,
      severity: 'info',
      message:
        `Domain ${d.id} is federated (federatedIdpMfaBehavior: ${d.federatedIdpMfaBehavior === undefined ? 'not collected' : (d.federatedIdpMfaBehavior ?? 'not set')}); ` +
        'MFA done at its identity provider is visible only in tokens: prove it with `mfa-audit token`.',
    });
  }
  return findings;
};

/** The well-known keys whose absence the report names, with the permission that collects each. */
const COLLECTED_KEYS: readonly (readonly [string, string])[] = [
  [GRAPH_KEYS.securityDefaults, PERMISSION_HINTS.policies],
  [GRAPH_KEYS.conditionalAccessPolicies, PERMISSION_HINTS.policies],
  [GRAPH_KEYS.namedLocations, PERMISSION_HINTS.policies],
  [GRAPH_KEYS.roleAssignments, PERMISSION_HINTS.roles],
  [GRAPH_KEYS.registrationDetails, PERMISSION_HINTS.registration],
  [GRAPH_KEYS.domains, PERMISSION_HINTS.domains],
  [GRAPH_KEYS.crossTenantDefault, PERMISSION_HINTS.policies],
];

/** What was not collected. */
const notCollected: Rule = ({ state }) => {
  const { dir } = state;
  const findings: Finding[] = [];
  for (const [key, permission] of COLLECTED_KEYS) {
    if (Object.prototype.hasOwnProperty.call(dir.snapshot.graph, key) && dir.snapshot.graph[key] !== null) continue;
    const why = dir.collectionErrors[key];
    findings.push({
      id: FINDING_IDS.notCollected,
      severity: 'info',
      message: `${key} was not collected${why ? ` (${why})` : ''}; verdicts that depend on it are unknown (needs ${permission}).`,
    });
  }
  return findings;
};

/** The rules, in the order the report lists their findings. */
const RULES: readonly Rule[] = [
  noEnforcement,
  policyNotEnforced,
  exclusionGap,
  legacyAuth,
  notRegistered,
  globalAdmin,
  agentGroup,
  guestTrust,
  securityDefaults,
  perUser,
  federated,
  notCollected,
];

export function tenantFindings(state: EngineState, evaluations: AccountEvaluation[]): Finding[] {
  const active = evaluations.filter((e) => e.result.verdict !== 'exempt');
  const input: FindingInput = {
    state,
    active,
    failing: active.filter((e) => e.result.verdict === 'fail'),
    notPassing: active.filter((e) => e.result.verdict === 'fail' || e.result.verdict === 'unknown'),
  };
  return RULES.flatMap((rule) => rule(input));
}
