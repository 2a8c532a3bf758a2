/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). Pure: report → text.
 *
 * - One rule per check (token) or per kind of gap/finding (tenant), with a stable `ruleId`, help and severity.
 * - One result per failing or unknown token/account, and one per tenant finding of low severity or more.
 * - Every result has a synthetic but stable location: GitHub rejects results without one. It is a relative path
 *   (`mfa-audit/tenant/<tenantId>/users/<objectId>`), never an absolute URI: an absolute URI whose scheme differs
 *   from the checkout's `file://` root makes the upload fail. No such file exists; GitHub still shows the alert.
 * - `partialFingerprints` hash the rule, the tenant and the account (or token subject) — never the message or a
 *   time — so an alert stays the same alert from run to run and closes when the account is fixed.
 * - Baseline-accepted results stay in the log with a SARIF `suppressions` entry (`external`, `accepted`): an
 *   accepted failure is still a failure, so it is shown, never hidden.
 */
import { createHash } from 'node:crypto';
import type { Acceptance } from '../core/baseline.js';
import type { AccountResult, Finding, Severity, TenantReport } from '../core/tenant/types.js';
import type { TokenReport, TokenResult } from '../core/token/types.js';
import { VERSION } from '../version.js';
import {
  acceptanceText,
  accountName,
  claimText,
  decidingChecks,
  expiredText,
  gapLines,
  tokenLabel,
  tokenSubject,
} from './result-text.js';
import { sortAccounts } from './account-order.js';
import { escapeUnsafe } from './escape.js';
import { confirmationText, engineVerdictText, evidenceText, signInsText, whatIfText } from './evidence-text.js';
import type { RenderOptions } from './types.js';

const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of our own fingerprint in `partialFingerprints` (versioned: a new algorithm gets a new key). */
export const FINGERPRINT_KEY = 'mfaAuditIdentity/v1';

type Level = 'error' | 'warning' | 'note';

interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; precision: string; 'security-severity': string; problem: { severity: string } };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
    logicalLocations?: Array<{ name: string; fullyQualifiedName: string; kind: string }>;
  }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: 'external'; status: 'accepted'; justification: string }>;
  properties: Record<string, unknown>;
}

function rule(
  id: string,
  name: string,
  short: string,
  full: string,
  help: string,
  level: Level,
  securitySeverity: number,
): Rule {
  return {
    id,
    name,
    shortDescription: { text: short },
    fullDescription: { text: full },
    help: { text: help, markdown: help },
    defaultConfiguration: { level },
    properties: {
      tags: ['security', 'mfa', 'identity'],
      precision: 'high',
      'security-severity': securitySeverity.toFixed(1),
      problem: { severity: level === 'error' ? 'error' : level === 'warning' ? 'warning' : 'recommendation' },
    },
  };
}

// ---- rules -------------------------------------------------------------------------------------------------

const TOKEN_RULES: Record<string, Rule> = {
  mfa: rule(
    'token-mfa',
    'TokenWithoutMfaClaim',
    "The token's amr claim does not show MFA",
    "Partner Center rejects App+User calls whose access token does not carry 'mfa' in its amr claim.",
    "Sign in again with multifactor authentication and check that the token's `amr` claim contains `mfa`. " +
      'A v2.0 token has no `amr`: request a v1.0 token (accessTokenAcceptedVersion 1) or check the sign-in logs.',
    'error',
    8.0,
  ),
  'app-user': rule(
    'token-app-user',
    'TokenNotAppPlusUser',
    'The token is not an App+User (delegated) token',
    'Partner Center requires App+User tokens for GDAP operations; control panel vendors must use App+User.',
    'Acquire the token with a delegated flow (Secure Application Model refresh token, device code) rather than ' +
      'client credentials.',
    'warning',
    5.0,
  ),
  audience: rule(
    'token-audience',
    'TokenWrongAudience',
    "The token's audience does not match the API it is used for",
    'The aud claim must name the API of the chosen profile (Partner Center, Graph, ARM) or --audience.',
    'Request the token for the right resource (scope `https://api.partnercenter.microsoft.com/user_impersonation` ' +
      'for Partner Center).',
    'warning',
    4.0,
  ),
  scope: rule(
    'token-scope',
    'TokenMissingScope',
    'The token lacks the scope the API needs',
    'The scp claim must contain the profile scope (user_impersonation for Partner Center) or --scope.',
    'Request the missing delegated scope and make sure it is consented for the application.',
    'warning',
    4.0,
  ),
  lifetime: rule(
    'token-lifetime',
    'TokenOutsideLifetime',
    'The token is expired or not yet valid',
    'nbf ≤ now ≤ exp must hold (small clock skew allowed).',
    'Acquire a fresh token; check the clock of the machine that evaluates it (--now sets the instant).',
    'warning',
    3.0,
  ),
  signature: rule(
    'token-signature',
    'TokenSignatureNotVerified',
    "The token's signature does not verify",
    'With --verify, the signature must verify against the issuer keys (or --jwks).',
    'Check that the token comes from the expected Microsoft Entra issuer and has not been altered.',
    'error',
    9.0,
  ),
};

const TOKEN_FALLBACK_RULE = rule(
  'token-check',
  'TokenCheckNotPassed',
  'A token check did not pass',
  'A check of the token failed or could not be decided.',
  'Read the check message in the report for what to do.',
  'warning',
  5.0,
);

const ACCOUNT_GAP_RULE = rule(
  'account-mfa-gap',
  'AccountSignInWithoutMfa',
  'An account can sign in without MFA',
  'mfa-audit names a sign-in (application, client, platform, location, risk…) that this account can complete ' +
    'without an MFA challenge, with the Conditional Access policies that let it through.',
  'Close the gap: include the account (or the sign-in context) in an enabled Conditional Access policy that ' +
    'requires MFA (or an authentication strength), remove the exclusion that opens it, or block the context. ' +
    'Service accounts: move to workload identities; emergency accounts: phishing-resistant MFA.',
  'error',
  8.0,
);

const ACCOUNT_NO_MECHANISM_RULE = rule(
  'account-no-mfa',
  'AccountWithoutMfaEnforcement',
  'No mechanism enforces MFA for an account',
  'Neither security defaults, nor an enabled Conditional Access policy, nor per-user MFA applies to this account.',
  'Turn on security defaults, or add an enabled Conditional Access policy requiring MFA for all users and apps.',
  'error',
  8.0,
);

const ACCOUNT_UNKNOWN_RULE = rule(
  'account-undecided',
  'AccountMfaUndecided',
  "An account's MFA enforcement could not be decided",
  'The data needed to decide is missing or ambiguous (a permission, a federated domain, an unresolvable ' +
    'condition). mfa-audit never resolves doubt toward pass.',
  'Read the reasons: grant the missing Graph permission, or prove MFA at the federated identity provider with ' +
    '`mfa-audit token` (the token must carry `mfa` in `amr`).',
  'warning',
  5.0,
);

const SEVERITY_SCORE: Record<Severity, number> = { high: 8.0, medium: 5.0, low: 3.0, info: 1.0 };
const SEVERITY_LEVEL: Record<Severity, Level> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** What a finding rule says of its kind of finding: fixed text, never a finding's own message. */
interface FindingRuleText {
  short: string;
  full: string;
  help: string;
  /** The rule's default level (each result still carries the level of its finding's severity). */
  severity: Severity;
}

/**
 * One entry per finding id of src/core/tenant/findings.ts. A rule's text is the same in every run, whatever the
 * findings of that id say this time (their counts, policy names and accounts go in the result's message).
 */
const FINDING_RULES: Readonly<Record<string, FindingRuleText>> = {
  'no-mfa-enforcement': {
    short: 'No mechanism enforces MFA in the tenant',
    full: 'Security defaults are off (or not known to be on) and no enabled Conditional Access policy requires MFA or blocks.',
    help: 'Turn on security defaults, or add an enabled Conditional Access policy that requires MFA for all users and apps.',
    severity: 'high',
  },
  'mfa-policy-not-enforced': {
    short: 'An MFA policy is not enforced',
    full: 'A Conditional Access policy that would require MFA or block is report-only or disabled: it enforces nothing.',
    help: 'Turn the policy on once its report-only results are reviewed, or delete it.',
    severity: 'medium',
  },
  'policy-leaves-gap': {
    short: "A policy's exclusions let accounts sign in without MFA",
    full: 'An enabled policy requires MFA or blocks, but its exclusions or conditions let accounts through without MFA.',
    help: 'Narrow the exclusion (users, groups, apps, locations), or cover the excluded accounts with another policy.',
    severity: 'high',
  },
  'legacy-authentication-not-blocked': {
    short: 'Legacy authentication is not blocked',
    full:
      'Legacy authentication clients (Exchange ActiveSync, IMAP/POP/SMTP) cannot do MFA; unless an enabled policy blocks them ' +
      'for all users, they may get through without it.',
    help: 'Add an enabled Conditional Access policy that blocks the exchangeActiveSync and other client app types for all users.',
    severity: 'high',
  },
  'mfa-not-registered': {
    short: 'Accounts must do MFA but have no method registered',
    full: 'Accounts covered by MFA have not registered a method: whoever signs in first with the password registers one.',
    help: 'Require registration (a registration policy), or onboard with a Temporary Access Pass.',
    severity: 'medium',
  },
  'global-admin-without-mfa': {
    short: 'Global Administrators are not proven to face MFA',
    full: 'Accounts holding the Global Administrator role are not proven to face MFA on every sign-in.',
    help: 'Require MFA (preferably phishing-resistant) for every directory role in Conditional Access.',
    severity: 'high',
  },
  'partner-agent-without-mfa': {
    short: 'Partner agents are not proven to face MFA',
    full: 'Members of a partner agent group are not proven to face MFA; Partner Center and GDAP/AOBO access need MFA that Entra can verify.',
    help: 'Require MFA for the members of the AdminAgents, HelpdeskAgents and SalesAgents groups.',
    severity: 'high',
  },
  'guest-home-mfa-not-trusted': {
    short: "External guests' home-tenant MFA is not trusted",
    full: 'External guests are not covered by an MFA policy here, and the inbound cross-tenant trust does not accept their home-tenant MFA.',
    help: 'Require MFA for guests, and consider trusting MFA from their home tenants (inboundTrust.isMfaAccepted).',
    severity: 'medium',
  },
  'security-defaults-limits': {
    short: 'Security defaults do not challenge every sign-in',
    full: 'With security defaults only administrators get MFA on every sign-in; other users are challenged when Entra judges it necessary.',
    help: 'For per-sign-in proof, move to Conditional Access policies that require MFA.',
    severity: 'info',
  },
  'per-user-mfa-in-use': {
    short: 'Accounts rely on legacy per-user MFA alone',
    full: "Per-user MFA's trusted-IP and remembered-device bypasses are invisible to Graph, so its enforcement cannot be proven.",
    help: 'Move these accounts to Conditional Access policies that require MFA, then turn per-user MFA off.',
    severity: 'low',
  },
  'data-not-collected': {
    short: 'Tenant data was not collected',
    full: 'A Graph resource the verdicts depend on was not collected; the verdicts that need it are unknown.',
    help: 'Grant the permission the finding names and run again.',
    severity: 'info',
  },
  'federated-domain': {
    short: 'A domain is federated',
    full: 'MFA done at a federated identity provider is visible only in tokens, not in the tenant configuration.',
    help: 'Prove MFA at the identity provider with `mfa-audit token` (the token must carry `mfa` in `amr`).',
    severity: 'info',
  },
  'what-if-disagrees': {
    short: 'Entra What If disagrees with the audit',
    full:
      "Entra's own Conditional Access evaluator (What If) answered a concrete sign-in differently from mfa-audit: " +
      'the accounts concerned are unknown until the difference is understood.',
    help: 'Compare both answers in the report (the sign-in, the policies each names) and review the policies involved.',
    severity: 'high',
  },
  'sign-in-contradicts-pass': {
    short: 'A single-factor sign-in contradicts a pass',
    full:
      'The sign-in logs show a successful sign-in without MFA, after the policies last changed, for an account the ' +
      'policies alone would pass: the account is unknown.',
    help: 'Look at the sign-in (app, client, location) and at which policy should have required MFA for it.',
    severity: 'high',
  },
};

function findingRule(finding: Finding): Rule {
  const id = slug(finding.id);
  const known = Object.prototype.hasOwnProperty.call(FINDING_RULES, finding.id) ? FINDING_RULES[finding.id] : undefined;
  // An id this version has no text for (a newer engine, a hand-made report) still gets text of its own, from its id.
  const text: FindingRuleText = known ?? {
    short: `Tenant-wide finding '${finding.id}'`,
    full: `A tenant-wide finding of kind '${finding.id}'; each result's message says what was found and where.`,
    help: `Read the message of each '${finding.id}' result for what was found and what to do.`,
    severity: 'medium',
  };
  return rule(
    `finding-${id}`,
    `TenantFinding_${id}`,
    text.short,
    text.full,
    text.help,
    SEVERITY_LEVEL[text.severity],
    SEVERITY_SCORE[text.severity],
  );
}

// ---- helpers -------------------------------------------------------------------------------------------------

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unnamed'
  );
}

/** A path segment of the synthetic location: percent-encoded, so '#EXT#' or a space never breaks the URI. */
function segment(text: string): string {
  return encodeURIComponent(text).replace(/%40/g, '@');
}

/** sha256 of the identity parts joined with a separator that cannot occur in them. */
function identityHash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** Keeps fingerprints unique within one log: a second result with the same identity gets ":2", and so on. */
class FingerprintCounter {
  private readonly seen = new Map<string, number>();
  next(hash: string): Record<string, string> {
    const count = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, count);
    return { [FINGERPRINT_KEY]: `${hash}:${count}`, primaryLocationLineHash: `${hash}:${count}` };
  }
}

function suppressionOf(accepted: Acceptance | undefined): Pick<SarifResult, 'suppressions'> {
  if (!accepted) return {};
  return { suppressions: [{ kind: 'external', status: 'accepted', justification: acceptanceText(accepted) }] };
}

class RuleSet {
  readonly rules: Rule[] = [];
  private readonly index = new Map<string, number>();
  constructor(initial: readonly Rule[] = []) {
    for (const rule of initial) this.add(rule);
  }
  add(rule: Rule): number {
    const known = this.index.get(rule.id);
    if (known !== undefined) return known;
    this.rules.push(rule);
    this.index.set(rule.id, this.rules.length - 1);
    return this.rules.length - 1;
  }
}

function log(run: Record<string, unknown>): string {
  return JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }, null, 2) + '\n';
}

function driver(rules: Rule[]) {
  return { name: 'mfa-audit', semanticVersion: VERSION, version: VERSION, rules };
}

function invocation(generatedAt: string | undefined) {
  return {
    executionSuccessful: true,
    ...(generatedAt && !Number.isNaN(Date.parse(generatedAt))
      ? { endTimeUtc: new Date(generatedAt).toISOString() }
      : {}),
  };
}

// ---- token ---------------------------------------------------------------------------------------------------

export function renderTokenSarif(report: TokenReport, _options?: RenderOptions): string {
  // Every rule is listed, used or not, so rule indexes and the rule list never change between runs.
  const rules = new RuleSet([...Object.values(TOKEN_RULES), TOKEN_FALLBACK_RULE]);
  const fingerprints = new FingerprintCounter();
  const results: SarifResult[] = [];
  for (const result of [...report.results].sort((a, b) => a.index - b.index)) {
    if (result.verdict !== 'fail' && result.verdict !== 'unknown') continue;
    results.push(tokenResult(result, rules, fingerprints));
  }
  return log({
    tool: { driver: driver(rules.rules) },
    automationDetails: { id: 'mfa-audit/token/' },
    invocations: [invocation(report.generatedAt)],
    columnKind: 'utf16CodeUnits',
    results,
    properties: {
      profile: report.profile ?? 'partner-center',
      tokens: report.results.length,
      ...(report.baseline ? { baseline: report.baseline } : {}),
    },
  });
}

function tokenResult(result: TokenResult, rules: RuleSet, fingerprints: FingerprintCounter): SarifResult {
  const deciding = decidingChecks(result);
  const primary = deciding[0];
  const rule = (primary && TOKEN_RULES[primary.id]) || TOKEN_FALLBACK_RULE;
  const ruleIndex = rules.add(rule);
  const subject = tokenSubject(result);
  const tenant = claimText(result, 'tid') || 'unknown-tenant';
  const app = claimText(result, 'appid') || claimText(result, 'azp');
  const checks = deciding.map((check) => `${check.id} ${check.status}: ${check.message}`);
  const lines = [`${tokenLabel(result)} is ${result.verdict}.`, ...checks];
  if (result.accepted) lines.push(acceptanceText(result.accepted));
  if (result.expiredAcceptance) lines.push(expiredText(result.expiredAcceptance));
  // Identity: rule + tenant + subject + app + which checks decide — not the token, its times or messages.
  const identity = identityHash([rule.id, tenant, subject.toLowerCase(), app, deciding.map((c) => c.id).join(',')]);
  return {
    ruleId: rule.id,
    ruleIndex,
    level: result.verdict === 'fail' ? rule.defaultConfiguration.level : 'warning',
    message: { text: lines.join('\n') },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `mfa-audit/token/${segment(tenant)}/${segment(subject)}` },
          region: { startLine: 1 },
        },
        logicalLocations: [{ name: subject, fullyQualifiedName: `${tenant}/${subject}`, kind: 'resource' }],
      },
    ],
    partialFingerprints: fingerprints.next(identity),
    ...suppressionOf(result.accepted),
    properties: {
      verdict: result.verdict,
      tokenIndex: result.index,
      kind: result.kind,
      checks: deciding.map((check) => check.id),
      ...(result.accepted ? { accepted: result.accepted } : {}),
      ...(result.expiredAcceptance ? { expiredAcceptance: result.expiredAcceptance } : {}),
    },
  };
}

// ---- tenant --------------------------------------------------------------------------------------------------

export function renderTenantSarif(report: TenantReport, _options?: RenderOptions): string {
  // The account rules are always listed first; finding rules follow as findings occur.
  const rules = new RuleSet([ACCOUNT_GAP_RULE, ACCOUNT_NO_MECHANISM_RULE, ACCOUNT_UNKNOWN_RULE]);
  const fingerprints = new FingerprintCounter();
  const results: SarifResult[] = [];
  const tenant = report.tenantId || 'unknown-tenant';
  for (const account of sortAccounts(report.accounts)) {
    if (account.verdict !== 'fail' && account.verdict !== 'unknown') continue;
    results.push(accountResult(tenant, account, rules, fingerprints));
  }
  for (const finding of report.findings ?? []) {
    if (finding.severity === 'info') continue;
    results.push(findingResult(tenant, finding, rules, fingerprints));
  }
  return log({
    tool: { driver: driver(rules.rules) },
    automationDetails: { id: `mfa-audit/tenant/${tenant}/` },
    invocations: [invocation(report.generatedAt)],
    columnKind: 'utf16CodeUnits',
    results,
    properties: {
      tenantId: tenant,
      summary: report.summary,
      ...(report.source ? { source: report.source } : {}),
      ...(report.baseline ? { baseline: report.baseline } : {}),
      ...runEvidence(report),
    },
  });
}

/** The run's What If counts and sign-in window (with their text), when the report holds them. */
function runEvidence(report: TenantReport): Record<string, unknown> {
  const { whatIf, signIns } = report;
  return {
    ...(whatIf ? { whatIf: { ...whatIf, spotChecks: { ...whatIf.spotChecks }, text: whatIfText(report) } } : {}),
    ...(signIns
      ? { signIns: { window: { ...signIns.window }, truncated: signIns.truncated, text: signInsText(report) } }
      : {}),
  };
}

/** An account's evidence as result properties: each gap's What If status, sign-in counts, the engine's verdict. */
function accountEvidence(account: AccountResult): Record<string, unknown> {
  const gaps = account.gaps ?? [];
  const confirmations = gaps.map((gap) => gap.confirmation?.status ?? null);
  const disputedBy = [
    ...new Set(
      gaps.flatMap((gap) => (gap.confirmation?.status === 'disputed' ? (gap.confirmation.entra?.stoppers ?? []) : [])),
    ),
  ].sort();
  const evidence = account.evidence;
  return {
    ...(confirmations.some((status) => status !== null) ? { gapConfirmations: confirmations } : {}),
    ...(disputedBy.length ? { disputedBy } : {}),
    ...(account.engineVerdict !== undefined ? { engineVerdict: account.engineVerdict } : {}),
    ...(evidence
      ? {
          signIns: {
            window: { ...evidence.window },
            singleFactor: evidence.singleFactor.count,
            mfa: evidence.mfa.count,
            ...(evidence.mfa.byFederatedClaim !== undefined
              ? { mfaByFederatedClaim: evidence.mfa.byFederatedClaim }
              : {}),
            ...(evidence.singleFactor.last ? { lastSingleFactor: safeFields(evidence.singleFactor.last) } : {}),
          },
        }
      : {}),
  };
}

/** Sign-in log text (untrusted) with control and bidi characters shown as \uXXXX, as in the message. */
function safeFields<T extends Record<string, string>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, escapeUnsafe(value)])) as T;
}

/** Each gap line followed by its What If confirmation (when it has one). */
function gapMessageLines(account: AccountResult): string[] {
  const lines = gapLines(account);
  return (account.gaps ?? []).flatMap((gap, index) => {
    const confirmation = confirmationText(gap);
    return [`Gap: ${lines[index]}`, ...(confirmation ? [`What If: ${confirmation}`] : [])];
  });
}

/** The sign-in evidence and the verdict the policies alone gave, when the report holds them. */
function evidenceMessageLines(account: AccountResult): string[] {
  const evidence = evidenceText(account);
  const engine = engineVerdictText(account);
  return [...(evidence ? [`Evidence: ${evidence}`] : []), ...(engine ? [`Verdict: ${engine}`] : [])];
}

function accountResult(
  tenant: string,
  account: AccountResult,
  rules: RuleSet,
  fingerprints: FingerprintCounter,
): SarifResult {
  const rule =
    account.verdict === 'unknown'
      ? ACCOUNT_UNKNOWN_RULE
      : (account.gaps ?? []).length > 0
        ? ACCOUNT_GAP_RULE
        : ACCOUNT_NO_MECHANISM_RULE;
  const ruleIndex = rules.add(rule);
  const name = accountName(account);
  const who = `${name}${account.displayName ? ` (${account.displayName})` : ''}, ${account.kind}`;
  const lines = [
    account.verdict === 'fail' ? `${who}: can sign in without MFA.` : `${who}: MFA enforcement undecided.`,
    ...gapMessageLines(account),
    ...(account.reasons ?? []),
    ...evidenceMessageLines(account),
  ];
  if (account.partnerCenterImpact) lines.push(`Partner Center: ${account.partnerCenterImpact}`);
  if (account.accepted) lines.push(acceptanceText(account.accepted));
  if (account.expiredAcceptance) lines.push(expiredText(account.expiredAcceptance));
  const identity = identityHash([rule.id, tenant.toLowerCase(), account.id.toLowerCase()]);
  return {
    ruleId: rule.id,
    ruleIndex,
    level: rule.defaultConfiguration.level,
    message: { text: lines.join('\n') },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `mfa-audit/tenant/${segment(tenant)}/users/${segment(account.id)}` },
          region: { startLine: 1 },
        },
        logicalLocations: [{ name, fullyQualifiedName: `${tenant}/users/${account.id}`, kind: 'resource' }],
      },
    ],
    partialFingerprints: fingerprints.next(identity),
    ...suppressionOf(account.accepted),
    properties: {
      verdict: account.verdict,
      accountId: account.id,
      userPrincipalName: account.userPrincipalName,
      kind: account.kind,
      policyIds: [...new Set((account.gaps ?? []).flatMap((gap) => gap.policyIds ?? []))].sort(),
      ...(account.roles?.length ? { roles: account.roles } : {}),
      ...(account.accepted ? { accepted: account.accepted } : {}),
      ...(account.expiredAcceptance ? { expiredAcceptance: account.expiredAcceptance } : {}),
      ...accountEvidence(account),
    },
  };
}

function findingResult(
  tenant: string,
  finding: Finding,
  rules: RuleSet,
  fingerprints: FingerprintCounter,
): SarifResult {
  const rule = findingRule(finding);
  const ruleIndex = rules.add(rule);
  const policies = [...(finding.policyIds ?? [])].sort();
  const identity = identityHash([rule.id, tenant.toLowerCase(), finding.id, policies.join(',')]);
  return {
    ruleId: rule.id,
    ruleIndex,
    level: SEVERITY_LEVEL[finding.severity] ?? 'note',
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `mfa-audit/tenant/${segment(tenant)}/findings/${segment(slug(finding.id))}` },
          region: { startLine: 1 },
        },
        logicalLocations: [
          { name: finding.id, fullyQualifiedName: `${tenant}/findings/${finding.id}`, kind: 'resource' },
        ],
      },
    ],
    partialFingerprints: fingerprints.next(identity),
    properties: {
      severity: finding.severity,
      findingId: finding.id,
      ...(policies.length ? { policyIds: policies } : {}),
      ...(finding.accountIds?.length ? { accountIds: finding.accountIds } : {}),
    },
  };
}
