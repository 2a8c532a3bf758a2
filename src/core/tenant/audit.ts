/**
 * The tenant engine's entry point: a verdict for every user object of a snapshot (evaluation.md §2–§6).
 * Pure: plain data in, plain data out. Accounts that every enabled policy treats alike (same signature) share one
 * Conditional Access evaluation, so the cost is near-linear in accounts × policies.
 */
import type { Snapshot } from '../snapshot.js';
import { GRAPH_KEYS, perUserMfaKey } from '../snapshot.js';
import type { AccountResult, Gap, Mechanism, TenantReport } from './types.js';
import type { Directory } from './directory.js';
import { buildDirectory, perUserMfaState } from './directory.js';
import type { Classification } from './classify.js';
import { classify, compileServicePatterns } from './classify.js';
import type { Policy } from './policy.js';
import { compileSignatures, exclusionCase, exclusionWords, normalisePolicies, targeting } from './policy.js';
import type { ContextSpace } from './contexts.js';
import { buildContextSpace } from './contexts.js';
import type { SignatureResult } from './ca.js';
import type { Restriction } from './ca.js';
import { appliesSomewhere, describeGap, evaluateSignature, isStopper } from './ca.js';
import { PARTNER_AGENT_GROUPS, PERMISSION_HINTS, ROLE_NAMES } from './constants.js';
import type { GraphUser } from './graph-json.js';
import { tenantFindings } from './findings.js';
import { compareAccounts } from './account-order.js';

export interface AuditOptions {
  /** The instant of the audit (report's generatedAt). */
  now: Date;
  /** --break-glass: UPNs of emergency-access accounts (compared case-insensitively). */
  breakGlass: string[];
  /** --service-accounts: regular-expression sources and/or exact UPNs of service accounts. */
  serviceAccounts: { patterns: string[]; upns: string[] };
  source?: TenantReport['source'];
}

export const PARTNER_CENTER_IMPACT_FAIL =
  "Partner Center: App+User API calls with this account's tokens are rejected since 1 April 2026 ('MFA required' " +
  'unless amr contains mfa), and no customer management through GDAP/AOBO without MFA that Entra can verify, even ' +
  'with a third-party MFA exception.';

export const PARTNER_CENTER_IMPACT_FEDERATED =
  "Partner Center (federated account): App+User calls and GDAP/AOBO work only when the token's amr carries mfa; " +
  'MFA at the identity provider counts only if it sends the claim and Entra accepts it (federatedIdpMfaBehavior). ' +
  'Prove it with `mfa-audit token`.';

/** Beyond the first gap, further gaps are shown while all of them together involve at most this many policies. */
const MAX_POLICIES_IN_GAPS = 12;

export interface EngineState {
  dir: Directory;
  policies: Policy[];
  enabled: Policy[];
  space: ContextSpace;
  /** Per signature: the CA result, and what gap descriptions need (computed once per signature). */
  cache: Map<string, SignatureEntry>;
  /** Partner agent groups present in the snapshot: group id → name. */
  agentGroups: Map<string, string>;
  signatureOf: (userId: string, cls: Classification) => string;
}

/** What one signature's accounts share: computed for the first of them, reused for the rest. */
export interface SignatureEntry {
  result: SignatureResult;
  /** The same evaluation over legacy-client sign-ins only (for per-user MFA `enabled`), computed when first asked. */
  legacy?: SignatureResult;
  excluding: Policy[];
  satisfiable: Policy[];
  /** Gap lists by the exclusion cases of `excluding` (see exclusionCase). */
  gaps: Map<string, Gap[]>;
  /** The reason of a passing signature (one string for all its accounts). */
  passReason?: string;
  /** The reason of a failing one, per gap list. */
  failReasons?: Map<Gap[], string>;
}

export interface AccountEvaluation {
  result: AccountResult;
  cls: Classification;
  /** The verdict before per-user MFA state is looked at (for usersNeedingPerUserMfaState). */
  needsPerUserState: boolean;
  /** The Conditional Access verdict (undefined when CA did not decide, e.g. security defaults). */
  caVerdict?: 'pass' | 'fail' | 'unknown';
}

export function prepare(snapshot: Snapshot): EngineState {
  const dir = buildDirectory(snapshot);
  const policies = normalisePolicies(dir);
  const enabled = policies.filter((p) => p.state === 'enabled' && p.targetsUsers);
  const agentGroups = new Map<string, string>();
  for (const [gid, name] of dir.groupNames) {
    if ((PARTNER_AGENT_GROUPS as readonly string[]).includes(name)) agentGroups.set(gid, name);
  }
  return { dir, policies, enabled, space: buildContextSpace(dir, enabled), cache: new Map(), agentGroups, signatureOf: compileSignatures(dir, enabled) };
}

/** The Conditional Access evaluation of one signature, computed for its first account and cached for the rest. */
function signatureEntry(state: EngineState, signature: string): SignatureEntry {
  let entry = state.cache.get(signature);
  if (!entry) {
    const { space, enabled } = state;
    const result = evaluateSignature(space, enabled, signature);
    // Per signature, once: the policies that exclude such accounts and the ones they can satisfy without MFA.
    const excluding: Policy[] = [];
    const satisfiable: Policy[] = [];
    if (result.verdict !== 'pass') {
      enabled.forEach((p, i) => {
        const a = signature[i];
        if (a === 'x' && isStopper(p, false) && appliesSomewhere(space, p)) excluding.push(p);
        if (a === 'y' && !isStopper(p, false)) satisfiable.push(p);
      });
    }
    entry = { result, excluding, satisfiable, gaps: new Map() };
    state.cache.set(signature, entry);
  }
  return entry;
}

/** Legacy clients (Exchange ActiveSync, other protocols): per-user MFA `enabled` does not reach them. */
function legacyClients(space: ContextSpace): Restriction {
  const dim = space.dims.find((d) => d.name === 'clientAppType')!;
  return {
    dim: 'clientAppType',
    allowed: (a) => {
      const c = dim.atoms[a]!.patch.clientAppType;
      return c === 'exchangeActiveSync' || c === 'other';
    },
  };
}

/** The gap list of an account for one evaluation (cached per signature, evaluation and exclusion words). */
function gapsFor(state: EngineState, entry: SignatureEntry, sr: SignatureResult, user: GraphUser, cls: Classification, cacheKey: string): Gap[] {
  const { dir, space } = state;
  let wordsKey = cacheKey;
  for (const p of entry.excluding) wordsKey += exclusionCase(dir, p, user.id, cls) + '\u0000';
  let gaps = entry.gaps.get(wordsKey);
  if (!gaps) {
    const exclusions = entry.excluding.map((p) => ({ policy: p, words: exclusionWords(dir, p, user.id, cls) }));
    gaps = [];
    let involved = 0;
    for (const solution of sr.solutions) {
      const gap = describeGap(space, solution, { exclusions, satisfiable: entry.satisfiable });
      involved += gap.policiesInvolved ?? gap.policyIds.length;
      // More gaps only while they stay short: one gap through dozens of policies says enough.
      if (gaps.length > 0 && involved > MAX_POLICIES_IN_GAPS) break;
      gaps.push(gap);
    }
    entry.gaps.set(wordsKey, gaps);
  }
  return gaps;
}

/** What collection recorded about a missing key (e.g. "403 Forbidden"), as a clause; '' when nothing was recorded. */
function because(dir: Directory, ...keys: string[]): string {
  for (const key of keys) {
    const why = dir.collectionErrors[key];
    if (why) return `; collection said: ${why}`;
  }
  return '';
}

function domainOf(upn: string): string {
  const at = upn.lastIndexOf('@');
  return at < 0 ? '' : upn.slice(at + 1).toLowerCase();
}

function names(policies: Policy[], max = 6): string {
  const shown = policies.slice(0, max).map((p) => `'${p.name}'`);
  return shown.join(', ') + (policies.length > max ? ` and ${policies.length - max} more` : '');
}

const ADVICE: Partial<Record<AccountResult['kind'], string>> = {
  service:
    'Service account: replace it with a workload identity (app registration or managed identity); for Partner ' +
    'Center automation use the Secure Application Model (App+User with MFA).',
  emergency:
    'Emergency-access account: protect it with phishing-resistant MFA (FIDO2 or certificate-based) rather than ' +
    'excluding it from MFA.',
};

export function evaluateAccount(
  state: EngineState,
  user: GraphUser,
  options: AuditOptions,
  helpers: { servicePatterns: RegExp[]; breakGlass: Set<string>; serviceUpns: Set<string> },
): AccountEvaluation {
  const { dir, enabled, space } = state;
  const cls = classify(dir, user, options, helpers.servicePatterns, helpers.breakGlass, helpers.serviceUpns);
  const upn = user.userPrincipalName ?? '';
  const result: AccountResult = {
    id: user.id,
    userPrincipalName: upn,
    displayName: user.displayName ?? '',
    kind: cls.kind,
    verdict: 'unknown',
    mechanisms: [],
    reasons: [],
    gaps: [],
    accountEnabled: user.accountEnabled !== false,
    userType: user.userType ?? undefined,
  };
  if (cls.kindReason) result.kindReason = cls.kindReason;
  const roleHolding = dir.roles?.get(user.id);
  if (roleHolding && roleHolding.held.size > 0) result.roles = [...roleHolding.held].map((r) => ROLE_NAMES[r] ?? r).sort();
  const agents: string[] = [];
  for (const [gid, name] of state.agentGroups) {
    if (dir.groupMembers.get(gid)?.has(user.id)) agents.push(name);
  }
  if (agents.length) result.agentGroups = agents.sort();
  const warnings: string[] = [];

  if (cls.exemptReason) {
    result.verdict = 'exempt';
    result.reasons.push(`Exempt: ${cls.exemptReason}.`);
    return { result, cls, needsPerUserState: false };
  }

  // Registration details: covered accounts that never registered can be hijacked by whoever registers first.
  const registered = dir.registration?.get(user.id);
  if (registered === false) {
    warnings.push('Not registered for MFA (isMfaRegistered false): whoever knows the password can register the first method.');
  }

  // 1. Security defaults decide everything when on.
  if (dir.securityDefaults === true) {
    result.verdict = 'pass';
    result.mechanisms = ['security-defaults'];
    result.reasons.push('Security defaults are on; the partner requirements accept them as enforcing MFA.');
    warnings.push(
      'Security defaults do not guarantee MFA on every sign-in: administrators get MFA on every sign-in, other users ' +
        'must register and are challenged when Entra judges it necessary and on privileged portals.',
    );
    result.warnings = warnings;
    return { result, cls, needsPerUserState: false };
  }

  // 2. Conditional Access.
  let caVerdict: 'pass' | 'fail' | 'unknown';
  let caGaps: Gap[] = [];
  const caReasons: string[] = [];
  let signature: string | undefined;
  let entry: SignatureEntry | undefined;
  if (!dir.caPolicies) {
    caVerdict = 'unknown';
    caReasons.push(
      `Conditional Access policies were not collected (${GRAPH_KEYS.conditionalAccessPolicies}; needs ${PERMISSION_HINTS.policies}${because(dir, GRAPH_KEYS.conditionalAccessPolicies)}).`,
    );
  } else {
    signature = state.signatureOf(user.id, cls);
    entry = signatureEntry(state, signature);
    const sr = entry.result;
    caVerdict = sr.verdict;
    if (sr.verdict === 'pass') {
      entry.passReason ??= `Conditional Access requires MFA (or blocks) on every sign-in: every sign-in context meets at least one of ${names(sr.covering)}.`;
      caReasons.push(entry.passReason);
    } else {
      // Gap words depend on the signature and on how the account is excluded: cached on both.
      // Keyed on which case of exclusionWords applies per policy: the words themselves are built only on a miss.
      caGaps = gapsFor(state, entry, sr, user, cls, '');
      if (sr.verdict === 'fail') {
        entry.failReasons ??= new Map();
        let reason = entry.failReasons.get(caGaps);
        if (reason === undefined) {
          reason = `Conditional Access lets the account sign in without MFA (${caGaps.length === 1 ? 'a gap' : `${caGaps.length} gaps shown`}).`;
          entry.failReasons.set(caGaps, reason);
        }
        caReasons.push(reason);
      } else {
        caReasons.push(undecidedReason(state, signature, user, cls, sr));
      }
    }
  }

  // 3. Per-user MFA (legacy). `enforced` covers every sign-in; `enabled` only modern clients: a user not yet
  // registered still signs in to legacy clients with the password (registration moves the state to enforced).
  const perUser = perUserMfaState(dir, user.id);
  const perUserModelled = perUser === undefined || PER_USER_STATES.has(perUser);
  const needsPerUserState = caVerdict !== 'pass';
  let perUserOn = perUser === 'enforced';
  if (perUser === 'enabled' && caVerdict !== 'pass') {
    if (entry && signature !== undefined) {
      const legacy = (entry.legacy ??= evaluateSignature(space, enabled, signature, undefined, legacyClients(space)));
      caReasons.length = 0;
      caVerdict = legacy.verdict;
      if (legacy.verdict === 'pass') {
        caReasons.push(
          'Per-user MFA is enabled, which covers modern clients; Conditional Access blocks legacy clients or demands MFA of them ' +
            `(${names(legacy.covering)}).`,
        );
      } else {
        caGaps = gapsFor(state, entry, legacy, user, cls, 'legacy\u0000');
        caReasons.push(
          'Per-user MFA is enabled, which covers modern clients only: until the user registers (the state then becomes enforced), ' +
            'legacy clients (Exchange ActiveSync, IMAP, POP, SMTP…) still sign in with the password' +
            (legacy.verdict === 'fail' ? ', and Conditional Access does not block them.' : '.'),
        );
        if (legacy.verdict === 'unknown') caReasons.push(undecidedReason(state, signature, user, cls, legacy));
      }
    } else {
      caReasons.push('Per-user MFA is enabled, which covers modern clients only; whether legacy clients are blocked depends on Conditional Access.');
    }
    perUserOn = caVerdict === 'pass';
  }

  // 4. Federation (the account's UPN domain).
  const domainName = domainOf(upn);
  const domain = dir.domains?.get(domainName);
  // A UPN domain missing from the collected list (or no domain at all) cannot be known managed.
  const federated: boolean | undefined = domainName.endsWith('.onmicrosoft.com')
    ? false
    : domain
      ? domain.authenticationType.toLowerCase() === 'federated'
      : undefined;

  const mechanisms: Mechanism[] = [];
  if (caVerdict === 'pass') {
    if (perUser === 'enabled') mechanisms.push('per-user-mfa');
    mechanisms.push('conditional-access');
    if (perUser === 'enforced') mechanisms.push('per-user-mfa');
    result.verdict = 'pass';
    result.reasons.push(...caReasons);
    if (perUser === 'enabled') warnings.push(PER_USER_WARNING);
  } else if (perUserOn) {
    mechanisms.push('per-user-mfa');
    result.verdict = 'pass';
    result.reasons.push(`Per-user MFA is ${perUser} for this account: every sign-in requires MFA.`);
    warnings.push(PER_USER_WARNING);
    if (caVerdict === 'fail') warnings.push(`Without per-user MFA, Conditional Access would leave gaps: ${caGaps[0]?.description ?? ''}`);
  } else {
    result.reasons.push(...caReasons);
    const missing: string[] = [];
    if (dir.securityDefaults === undefined && !(dir.caPolicies && enabled.length > 0)) {
      missing.push(
        `security defaults were not collected (${GRAPH_KEYS.securityDefaults}; needs ${PERMISSION_HINTS.policies}${because(dir, GRAPH_KEYS.securityDefaults)})`,
      );
    }
    if (!perUserModelled) {
      missing.push(`the per-user MFA state is '${perUser}', a value mfa-audit does not model, and it could enforce MFA`);
    }
    if (perUser === undefined) {
      missing.push(
        `the per-user MFA state was not collected (${perUserMfaKey(user.id)}; needs ${PERMISSION_HINTS.perUser}${because(dir, perUserMfaKey(user.id), perUserMfaKey('{id}'))}), and it could still enforce MFA`,
      );
    }
    if (federated === undefined && dir.domains) {
      missing.push(
        `the account's domain ${domainName ? `'${domainName}' ` : ''}is not among the collected domains (${GRAPH_KEYS.domains}), so federation is unknown`,
      );
    } else if (federated === undefined) {
      missing.push(`domains were not collected (${GRAPH_KEYS.domains}; needs ${PERMISSION_HINTS.domains}${because(dir, GRAPH_KEYS.domains)}), so federation is unknown`);
    }
    const behavior = domain?.federatedIdpMfaBehavior;
    if (federated && domain && behavior === 'rejectMfaByFederatedIdp' && !domain.unmodelled && caVerdict === 'fail' && missing.length === 0) {
      // Entra ignores the IdP's MFA here: only an Entra mechanism could demand MFA, and none does on every sign-in.
      result.verdict = 'fail';
      result.reasons.push(
        `The account's domain ${domain.id} is federated with federatedIdpMfaBehavior rejectMfaByFederatedIdp: Entra ignores MFA ` +
          'done at the identity provider, so the gaps above are not closed there.',
      );
    } else if (federated) {
      mechanisms.push('federated-idp');
      result.verdict = 'unknown';
      result.reasons.push(
        `The account's domain ${domain?.id ?? domainName} is federated and no Entra mechanism enforces MFA on every sign-in: ` +
          `MFA may happen at the federated identity provider, which Graph cannot see (${federationWords(domain)}). ` +
          'Prove it with `mfa-audit token` on a token of this account (amr must contain mfa).',
      );
    } else if (caVerdict === 'fail' && missing.length === 0) {
      result.verdict = 'fail';
    } else {
      result.verdict = 'unknown';
    }
    if (missing.length) result.reasons.push(`Undecided: ${missing.join('; ')}.`);
    result.gaps = caGaps;
    if (result.verdict === 'fail' && ADVICE[cls.kind]) result.reasons.push(ADVICE[cls.kind]!);
  }
  result.mechanisms = mechanisms;

  // Guests: home-tenant MFA counts only when inbound trust accepts it.
  if (cls.guestOrExternal && !cls.guestTypes.includes('internalGuest')) {
    if (state.dir.inboundMfaAccepted === true) {
      result.reasons.push("Inbound cross-tenant trust accepts MFA done in the guest's home tenant.");
    } else if (state.dir.inboundMfaAccepted === false || state.dir.inboundMfaAccepted === null) {
      result.reasons.push("Inbound cross-tenant trust does not accept home-tenant MFA: the guest must register MFA in this tenant.");
    }
  }
  if (result.verdict === 'fail') result.partnerCenterImpact = PARTNER_CENTER_IMPACT_FAIL;
  else if (federated) result.partnerCenterImpact = PARTNER_CENTER_IMPACT_FEDERATED;
  if (warnings.length) result.warnings = warnings;
  return { result, cls, needsPerUserState, caVerdict };
}

const PER_USER_STATES: ReadonlySet<string> = new Set(['disabled', 'enabled', 'enforced']);

const PER_USER_WARNING =
  'Per-user MFA: app passwords (legacy clients of enforced users), trusted-IP and remembered-device bypasses of the legacy ' +
  'MFA service cannot be seen through Graph; move to Conditional Access.';

/** What federatedIdpMfaBehavior (and its absence) means for MFA done at the identity provider. */
function federationWords(domain: Directory['domains'] extends Map<string, infer D> | undefined ? D | undefined : never): string {
  const behavior = domain?.federatedIdpMfaBehavior;
  const extra = domain?.unmodelled ? `; the federation configuration also has what mfa-audit does not model: ${domain.unmodelled.join('; ')}` : '';
  switch (behavior) {
    case undefined:
      return `federatedIdpMfaBehavior was not collected (v1.0/domains/{id}/federationConfiguration)${extra}`;
    case null:
      return `federatedIdpMfaBehavior is not set: the legacy SupportsMfa setting decides whether Entra accepts the IdP's MFA${extra}`;
    case 'acceptIfMfaDoneByFederatedIdp':
      return `federatedIdpMfaBehavior is acceptIfMfaDoneByFederatedIdp: Entra accepts MFA the IdP did and says so in its claims${extra}`;
    case 'enforceMfaByFederatedIdp':
      return `federatedIdpMfaBehavior is enforceMfaByFederatedIdp: when a policy demands MFA, Entra sends the user to the IdP for it${extra}`;
    case 'rejectMfaByFederatedIdp':
      return `federatedIdpMfaBehavior is rejectMfaByFederatedIdp: Entra ignores the IdP's MFA and performs its own when a policy demands it${extra}`;
    default:
      return `federatedIdpMfaBehavior is '${behavior}', a value mfa-audit does not model${extra}`;
  }
}

/** Why Conditional Access cannot be decided for an account: the doubts of its signature, in words. */
function undecidedReason(state: EngineState, signature: string, user: GraphUser, cls: Classification, sr: SignatureResult): string {
  const { dir, enabled } = state;
  const notes = new Set<string>();
  enabled.forEach((p, i) => {
    if (signature[i] === 'm' && isStopper(p, false)) {
      for (const n of targeting(dir, p, user.id, cls).notes) notes.add(`policy '${p.name}': ${n}`);
    }
    if ((signature[i] === 'y' || signature[i] === 'm') && p.grant.requiresMfa === 'maybe') {
      for (const n of p.grant.maybeReasons) notes.add(`policy '${p.name}': ${n}`);
    }
  });
  for (const r of sr.unknownReasons) notes.add(r);
  return `Conditional Access cannot be decided for this account: ${[...notes].join('; ') || 'the data is ambiguous'}.`;
}

function helpersFor(options: AuditOptions): { servicePatterns: RegExp[]; breakGlass: Set<string>; serviceUpns: Set<string> } {
  return {
    servicePatterns: compileServicePatterns(options.serviceAccounts.patterns),
    breakGlass: new Set(options.breakGlass.map((u) => u.trim().toLowerCase()).filter(Boolean)),
    serviceUpns: new Set(options.serviceAccounts.upns.map((u) => u.trim().toLowerCase()).filter(Boolean)),
  };
}

export function auditTenant(snapshot: Snapshot, options: AuditOptions): TenantReport {
  const state = prepare(snapshot);
  const helpers = helpersFor(options);
  const evaluations = state.dir.users.map((u) => evaluateAccount(state, u, options, helpers));
  const accounts = evaluations.map((e) => e.result).sort(compareAccounts);
  const summary = { accounts: accounts.length, pass: 0, fail: 0, exempt: 0, unknown: 0 };
  for (const a of accounts) summary[a.verdict]++;
  const report: TenantReport = {
    tenantId: snapshot.tenantId,
    generatedAt: options.now.toISOString(),
    summary,
    findings: tenantFindings(state, evaluations),
    accounts,
  };
  if (options.source) report.source = options.source;
  return report;
}

/**
 * The users whose verdict would depend on their per-user MFA state: collection fetches
 * `beta/users/{id}/authentication/requirements` only for these (it costs one request per user).
 * The snapshot passed in has everything else collected already.
 */
export function usersNeedingPerUserMfaState(snapshot: Snapshot, options: AuditOptions): string[] {
  const state = prepare(snapshot);
  const helpers = helpersFor(options);
  const { dir } = state;
  const out: string[] = [];
  for (const u of dir.users) {
    if (dir.perUser.has(u.id)) continue;
    if (needsPerUserState(state, u, options, helpers)) out.push(u.id);
  }
  return out;
}

/**
 * `evaluateAccount(…).needsPerUserState` without building the account's result: exempt accounts and security
 * defaults never need it; otherwise it is needed unless Conditional Access passes, which is one cached evaluation per
 * signature (so 100,000 users cost about as much as their signatures).
 */
function needsPerUserState(
  state: EngineState,
  user: GraphUser,
  options: AuditOptions,
  helpers: ReturnType<typeof helpersFor>,
): boolean {
  const { dir } = state;
  const cls = classify(dir, user, options, helpers.servicePatterns, helpers.breakGlass, helpers.serviceUpns);
  if (cls.exemptReason) return false;
  if (dir.securityDefaults === true) return false;
  if (!dir.caPolicies) return true;
  return signatureEntry(state, state.signatureOf(user.id, cls)).result.verdict !== 'pass';
}
