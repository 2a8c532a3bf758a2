/**
 * One account's verdict (evaluation.md §2–§3, §6): the mechanisms in order, each its own function, and the cached
 * Conditional Access evaluation of the account's signature that they share.
 */
import { GRAPH_KEYS, perUserMfaKey } from '../snapshot.js';
import type { AccountResult, Gap, Mechanism } from './types.js';
import type { Directory, Domain } from './directory.js';
import { perUserMfaState } from './directory.js';
import type { Classification, ClassifyOptions } from './classify.js';
import { classify } from './classify.js';
import type { Policy } from './policy.js';
import { exclusionCase, exclusionWords, targeting } from './policy.js';
import type { ContextSpace } from './contexts.js';
import type { Restriction, SignatureResult } from './ca.js';
import { appliesSomewhere, describeGap, evaluateSignature, isStopper } from './ca.js';
import { PERMISSION_HINTS, ROLE_NAMES } from './constants.js';
import type { GraphUser } from './graph-json.js';
import type { AccountEvaluation, ClassifyHelpers, EngineState, SignatureEntry } from './engine-types.js';

const PARTNER_CENTER_IMPACT_FAIL =
  "Partner Center: App+User API calls with this account's tokens are rejected since 1 April 2026 ('MFA required' " +
  'unless amr contains mfa), and no customer management through GDAP/AOBO without MFA that Entra can verify, even ' +
  'with a third-party MFA exception.';

const PARTNER_CENTER_IMPACT_FEDERATED =
  "Partner Center (federated account): App+User calls and GDAP/AOBO work only when the token's amr carries mfa; " +
  'MFA at the identity provider counts only if it sends the claim and Entra accepts it (federatedIdpMfaBehavior). ' +
  'Prove it with `mfa-audit token`.';

/** Beyond the first gap, further gaps are shown while all of them together involve at most this many policies. */
const MAX_POLICIES_IN_GAPS = 12;

/** The Conditional Access evaluation of one signature, computed for its first account and cached for the rest. */
export function signatureEntry(state: EngineState, signature: string): SignatureEntry {
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
function gapsFor(
  state: EngineState,
  entry: SignatureEntry,
  sr: SignatureResult,
  user: GraphUser,
  cls: Classification,
  cacheKey: string,
): Gap[] {
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

/**
 * One account's verdict: exempt accounts first, then the mechanisms of evaluation.md §3 in order (security
 * defaults, Conditional Access, per-user MFA, federation), then what the verdict tells guests and Partner Center.
 */
export function evaluateAccount(
  state: EngineState,
  user: GraphUser,
  options: ClassifyOptions,
  helpers: ClassifyHelpers,
  /** The account's classification, when already made against a directory with the same users, groups and roles. */
  classified?: Classification,
): AccountEvaluation {
  const { dir } = state;
  const cls =
    classified ?? classify(dir, user, options, helpers.servicePatterns, helpers.breakGlass, helpers.serviceUpns);
  const result = accountResult(state, user, cls);
  if (cls.exemptReason) {
    result.verdict = 'exempt';
    result.reasons.push(`Exempt: ${cls.exemptReason}.`);
    return { result, cls, needsPerUserState: false };
  }
  const warnings: string[] = [];
  // Registration details: covered accounts that never registered can be hijacked by whoever registers first.
  if (dir.registration?.get(user.id) === false) {
    warnings.push(
      'Not registered for MFA (isMfaRegistered false): whoever knows the password can register the first method.',
    );
  }
  if (dir.securityDefaults === true) {
    securityDefaults(result, warnings);
    return { result, cls, needsPerUserState: false };
  }
  const ca = conditionalAccess(state, user, cls);
  const needsPerUserState = ca.verdict !== 'pass';
  const perUser = perUserMfa(state, user, cls, ca);
  const federation = federationOf(dir, result.userPrincipalName);
  result.mechanisms = decide(state, user, cls, result, warnings, ca, perUser, federation);
  guestTrust(state, cls, result);
  if (result.verdict === 'fail') result.partnerCenterImpact = PARTNER_CENTER_IMPACT_FAIL;
  else if (federation.federated) result.partnerCenterImpact = PARTNER_CENTER_IMPACT_FEDERATED;
  if (warnings.length) result.warnings = warnings;
  return { result, cls, needsPerUserState, caVerdict: ca.verdict, signature: ca.signature };
}

/** The account as the report names it, before any verdict: kind, roles, partner agent groups. */
function accountResult(state: EngineState, user: GraphUser, cls: Classification): AccountResult {
  const { dir } = state;
  const result: AccountResult = {
    id: user.id,
    userPrincipalName: user.userPrincipalName ?? '',
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
  if (roleHolding && roleHolding.held.size > 0)
    result.roles = [...roleHolding.held].map((r) => ROLE_NAMES[r] ?? r).sort();
  const agents: string[] = [];
  for (const [gid, name] of state.agentGroups) {
    if (dir.groupMembers.get(gid)?.has(user.id)) agents.push(name);
  }
  if (agents.length) result.agentGroups = agents.sort();
  return result;
}

/** Mechanism 1: security defaults, when on, decide every non-exempt account. */
function securityDefaults(result: AccountResult, warnings: string[]): void {
  result.verdict = 'pass';
  result.mechanisms = ['security-defaults'];
  result.reasons.push('Security defaults are on; the partner requirements accept them as enforcing MFA.');
  warnings.push(
    'Security defaults do not guarantee MFA on every sign-in: administrators get MFA on every sign-in, other users ' +
      'must register and are challenged when Entra judges it necessary and on privileged portals.',
  );
  result.warnings = warnings;
}

/** What Conditional Access says of an account (per-user MFA `enabled` narrows it to legacy clients). */
interface CaOutcome {
  verdict: 'pass' | 'fail' | 'unknown';
  gaps: Gap[];
  reasons: string[];
  /** The account's signature and its cached evaluation; undefined when the policies were not collected. */
  signature?: string;
  entry?: SignatureEntry;
}

/** Mechanism 2: Conditional Access (evaluation.md §4), one cached evaluation per signature. */
function conditionalAccess(state: EngineState, user: GraphUser, cls: Classification): CaOutcome {
  const { dir } = state;
  if (!dir.caPolicies) {
    return {
      verdict: 'unknown',
      gaps: [],
      reasons: [
        `Conditional Access policies were not collected (${GRAPH_KEYS.conditionalAccessPolicies}; needs ${PERMISSION_HINTS.policies}${because(dir, GRAPH_KEYS.conditionalAccessPolicies)}).`,
      ],
    };
  }
  const signature = state.signatureOf(user.id, cls);
  const entry = signatureEntry(state, signature);
  const sr = entry.result;
  const ca: CaOutcome = { verdict: sr.verdict, gaps: [], reasons: [], signature, entry };
  if (sr.verdict === 'pass') {
    entry.passReason ??= `Conditional Access requires MFA (or blocks) on every sign-in: every sign-in context meets at least one of ${names(sr.covering)}.`;
    ca.reasons.push(entry.passReason);
    return ca;
  }
  // Gap words depend on the signature and on how the account is excluded: cached on both.
  // Keyed on which case of exclusionWords applies per policy: the words themselves are built only on a miss.
  ca.gaps = gapsFor(state, entry, sr, user, cls, '');
  if (sr.verdict === 'fail') {
    entry.failReasons ??= new Map();
    let reason = entry.failReasons.get(ca.gaps);
    if (reason === undefined) {
      reason = `Conditional Access lets the account sign in without MFA (${ca.gaps.length === 1 ? 'a gap' : `${ca.gaps.length} gaps shown`}).`;
      entry.failReasons.set(ca.gaps, reason);
    }
    ca.reasons.push(reason);
  } else {
    ca.reasons.push(undecidedReason(state, signature, user, cls, sr));
  }
  return ca;
}

interface PerUserOutcome {
  /** The state as collected; undefined = not collected. */
  state: string | undefined;
  /** Whether the state is one mfa-audit models (or was not collected). */
  modelled: boolean;
  /** Whether per-user MFA covers every sign-in of the account. */
  on: boolean;
}

/**
 * Mechanism 3: per-user MFA (legacy). `enforced` covers every sign-in; `enabled` only modern clients: a user not yet
 * registered still signs in to legacy clients with the password (registration moves the state to enforced), so for
 * `enabled` the Conditional Access outcome is replaced by its evaluation over legacy clients only.
 */
function perUserMfa(state: EngineState, user: GraphUser, cls: Classification, ca: CaOutcome): PerUserOutcome {
  const { space, enabled } = state;
  const perUser = perUserMfaState(state.dir, user.id);
  const outcome = {
    state: perUser,
    modelled: perUser === undefined || PER_USER_STATES.has(perUser),
    on: perUser === 'enforced',
  };
  if (perUser !== 'enabled' || ca.verdict === 'pass') return outcome;
  const { entry, signature } = ca;
  if (entry && signature !== undefined) {
    const legacy = (entry.legacy ??= evaluateSignature(space, enabled, signature, undefined, legacyClients(space)));
    ca.reasons.length = 0;
    ca.verdict = legacy.verdict;
    if (legacy.verdict === 'pass') {
      ca.reasons.push(
        'Per-user MFA is enabled, which covers modern clients; Conditional Access blocks legacy clients or demands MFA of them ' +
          `(${names(legacy.covering)}).`,
      );
    } else {
      ca.gaps = gapsFor(state, entry, legacy, user, cls, 'legacy\u0000');
      ca.reasons.push(
        'Per-user MFA is enabled, which covers modern clients only: until the user registers (the state then becomes enforced), ' +
          'legacy clients (Exchange ActiveSync, IMAP, POP, SMTP…) still sign in with the password' +
          (legacy.verdict === 'fail' ? ', and Conditional Access does not block them.' : '.'),
      );
      if (legacy.verdict === 'unknown') ca.reasons.push(undecidedReason(state, signature, user, cls, legacy));
    }
  } else {
    ca.reasons.push(
      'Per-user MFA is enabled, which covers modern clients only; whether legacy clients are blocked depends on Conditional Access.',
    );
  }
  outcome.on = ca.verdict === 'pass';
  return outcome;
}

interface Federation {
  domainName: string;
  domain: Domain | undefined;
  /** undefined: whether the domain is federated is not known. */
  federated: boolean | undefined;
}

/** Mechanism 4: federation of the account's UPN domain. */
function federationOf(dir: Directory, upn: string): Federation {
  const domainName = domainOf(upn);
  const domain = dir.domains?.get(domainName);
  // A UPN domain missing from the collected list (or no domain at all) cannot be known managed.
  const federated: boolean | undefined = domainName.endsWith('.onmicrosoft.com')
    ? false
    : domain
      ? domain.authenticationType.toLowerCase() === 'federated'
      : undefined;
  return { domainName, domain, federated };
}

/** The verdict from the mechanisms' outcomes; returns the mechanisms that cover the account. */
function decide(
  state: EngineState,
  user: GraphUser,
  cls: Classification,
  result: AccountResult,
  warnings: string[],
  ca: CaOutcome,
  perUser: PerUserOutcome,
  federation: Federation,
): Mechanism[] {
  const mechanisms: Mechanism[] = [];
  if (ca.verdict === 'pass') {
    if (perUser.state === 'enabled') mechanisms.push('per-user-mfa');
    mechanisms.push('conditional-access');
    if (perUser.state === 'enforced') mechanisms.push('per-user-mfa');
    result.verdict = 'pass';
    result.reasons.push(...ca.reasons);
    if (perUser.state === 'enabled') warnings.push(PER_USER_WARNING);
    return mechanisms;
  }
  if (perUser.on) {
    mechanisms.push('per-user-mfa');
    result.verdict = 'pass';
    result.reasons.push(`Per-user MFA is ${perUser.state} for this account: every sign-in requires MFA.`);
    warnings.push(PER_USER_WARNING);
    if (ca.verdict === 'fail')
      warnings.push(`Without per-user MFA, Conditional Access would leave gaps: ${ca.gaps[0]?.description ?? ''}`);
    return mechanisms;
  }
  result.reasons.push(...ca.reasons);
  const missing = missingData(state, user, perUser, federation);
  const { domain, domainName, federated } = federation;
  const behavior = domain?.federatedIdpMfaBehavior;
  if (
    federated &&
    domain &&
    behavior === 'rejectMfaByFederatedIdp' &&
    !domain.unmodelled &&
    ca.verdict === 'fail' &&
    missing.length === 0
  ) {
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
  } else if (ca.verdict === 'fail' && missing.length === 0) {
    result.verdict = 'fail';
  } else {
    result.verdict = 'unknown';
  }
  if (missing.length) result.reasons.push(`Undecided: ${missing.join('; ')}.`);
  result.gaps = ca.gaps;
  if (result.verdict === 'fail' && ADVICE[cls.kind]) result.reasons.push(ADVICE[cls.kind]!);
  return mechanisms;
}

/** What is missing for a CA gap to be a proven failure: the data that could still rescue the account. */
function missingData(state: EngineState, user: GraphUser, perUser: PerUserOutcome, federation: Federation): string[] {
  const { dir, enabled } = state;
  const { domainName, federated } = federation;
  const missing: string[] = [];
  if (dir.securityDefaults === undefined && !(dir.caPolicies && enabled.length > 0)) {
    missing.push(
      `security defaults were not collected (${GRAPH_KEYS.securityDefaults}; needs ${PERMISSION_HINTS.policies}${because(dir, GRAPH_KEYS.securityDefaults)})`,
    );
  }
  if (!perUser.modelled) {
    missing.push(
      `the per-user MFA state is '${perUser.state}', a value mfa-audit does not model, and it could enforce MFA`,
    );
  }
  if (perUser.state === undefined) {
    missing.push(
      `the per-user MFA state was not collected (${perUserMfaKey(user.id)}; needs ${PERMISSION_HINTS.perUser}${because(dir, perUserMfaKey(user.id), perUserMfaKey('{id}'))}), and it could still enforce MFA`,
    );
  }
  if (federated === undefined && dir.domains) {
    missing.push(
      `the account's domain ${domainName ? `'${domainName}' ` : ''}is not among the collected domains (${GRAPH_KEYS.domains}), so federation is unknown`,
    );
  } else if (federated === undefined) {
    missing.push(
      `domains were not collected (${GRAPH_KEYS.domains}; needs ${PERMISSION_HINTS.domains}${because(dir, GRAPH_KEYS.domains)}), so federation is unknown`,
    );
  }
  return missing;
}

/** Guests: home-tenant MFA counts only when inbound trust accepts it. */
function guestTrust(state: EngineState, cls: Classification, result: AccountResult): void {
  if (!cls.guestOrExternal || cls.guestTypes.includes('internalGuest')) return;
  if (state.dir.inboundMfaAccepted === true) {
    result.reasons.push("Inbound cross-tenant trust accepts MFA done in the guest's home tenant.");
  } else if (state.dir.inboundMfaAccepted === false || state.dir.inboundMfaAccepted === null) {
    result.reasons.push(
      'Inbound cross-tenant trust does not accept home-tenant MFA: the guest must register MFA in this tenant.',
    );
  }
}

const PER_USER_STATES: ReadonlySet<string> = new Set(['disabled', 'enabled', 'enforced']);

const PER_USER_WARNING =
  'Per-user MFA: app passwords (legacy clients of enforced users), trusted-IP and remembered-device bypasses of the legacy ' +
  'MFA service cannot be seen through Graph; move to Conditional Access.';

/** What federatedIdpMfaBehavior (and its absence) means for MFA done at the identity provider. */
function federationWords(domain: Domain | undefined): string {
  const behavior = domain?.federatedIdpMfaBehavior;
  const extra = domain?.unmodelled
    ? `; the federation configuration also has what mfa-audit does not model: ${domain.unmodelled.join('; ')}`
    : '';
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
function undecidedReason(
  state: EngineState,
  signature: string,
  user: GraphUser,
  cls: Classification,
  sr: SignatureResult,
): string {
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
