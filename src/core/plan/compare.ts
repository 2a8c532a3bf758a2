/**
 * Two tenant reports compared: accounts whose verdict changed, gaps opened and closed, findings added and removed,
 * accounts added and removed. Pure; the reports are not modified.
 *
 * A gap of the new state is opened when its sign-in was covered for the account before; a gap of the old state is
 * closed when its sign-in is covered now. With both engine states at hand (a `GapJudge`) that is checked against the
 * policies; a sign-in whose coverage before cannot be decided counts as opened (fail closed) and says so. Between
 * two reports only the words are left: gaps are matched by the policies whose exclusions open them.
 */
import type { AccountResult, AccountVerdict, Finding, Gap, TenantReport } from '../tenant/types.js';
import type { GapJudge, Side } from './gap-judge.js';
import type { AccountRef, ChangeReport, FindingRef, GapChange, ObjectChange, VerdictChange } from './types.js';

export interface CompareInput {
  command: ChangeReport['command'];
  before: { report: TenantReport; label: string; kind: ChangeReport['before']['kind'] };
  after: { report: TenantReport; label: string; kind: ChangeReport['after']['kind'] };
  objectChanges?: ObjectChange[];
  objectChangesNote?: string;
  notes?: string[];
  /** Both engine states: gaps are then matched by whether their sign-in is covered on the other side. */
  judge?: GapJudge;
  now: Date;
}

/** Worse verdicts rank higher: a change that rises in rank is a regression. */
const RANK: Record<AccountVerdict, number> = { exempt: 0, pass: 0, unknown: 1, fail: 2 };

/** The order of verdict changes: pass → fail first, then pass → unknown, other regressions, then improvements. */
function changeOrder(c: Pick<VerdictChange, 'from' | 'to'>): number {
  if (c.from === 'pass' && c.to === 'fail') return 0;
  if (c.from === 'pass' && c.to === 'unknown') return 1;
  if (RANK[c.to] > RANK[c.from]) return 2;
  if (RANK[c.to] === RANK[c.from]) return 3;
  return 4;
}

/** Whether a verdict change fails the gate: from pass (or exempt) to fail, or to unknown. */
export function isRegression(c: Pick<VerdictChange, 'from' | 'to'>): boolean {
  return RANK[c.from] === 0 && RANK[c.to] > 0;
}

function ref(a: AccountResult): AccountRef {
  return { id: a.id, userPrincipalName: a.userPrincipalName, displayName: a.displayName, kind: a.kind };
}

function verdictChange(before: AccountVerdict, a: AccountResult): VerdictChange {
  return { ...ref(a), from: before, to: a.verdict, reasons: a.reasons, gaps: a.gaps };
}

/**
 * A gap's identity across the two states: the policies whose exclusions open it. Its words are not: they name
 * every policy that does not cover the sign-in, so a new policy elsewhere rewords every gap. A gap that no
 * exclusion opens (a grant met without MFA, no policy at all) is identified by its words.
 */
function gapKey(g: Gap): string {
  const excludedBy = g.excludedBy ?? [];
  return excludedBy.length > 0 ? `x:${[...excludedBy].sort().join(',')}` : `w:${g.description}`;
}

type GapPair = { account: AccountResult; from: readonly Gap[]; to: readonly Gap[] };

/** A gap of one side that the other side does not have; `undecided` when that could not be told (fail closed). */
interface Unmatched {
  gap: Gap;
  undecided: boolean;
}

/** By identity (`gapKey`): what two reports allow. */
function unmatchedByKey(mine: readonly Gap[], theirs: readonly Gap[]): Unmatched[] {
  const other = new Set(theirs.map(gapKey));
  return mine.filter((g) => !other.has(gapKey(g))).map((gap) => ({ gap, undecided: false }));
}

/**
 * By sign-in: a gap of the new side is opened unless its sign-in surely got through before; a gap of the old side is
 * closed only if its sign-in is surely covered now.
 */
function unmatchedBySignIn(mine: readonly Gap[], side: 'from' | 'to', accountId: string, judge: GapJudge) {
  const other: Side = side === 'to' ? 'before' : 'after';
  const out: Unmatched[] = [];
  for (const gap of mine) {
    const coverage = judge.coverageOn(other, accountId, gap);
    if (side === 'from' ? coverage === 'covered' : coverage !== 'through') {
      out.push({ gap, undecided: coverage === 'unsure' });
    }
  }
  // The listed gaps are a few of the ways through: none of them new does not mean nothing covered before gets
  // through now.
  if (side === 'to' && out.length === 0) out.push(...judge.lostCoverage(accountId));
  return out;
}

const UNDECIDED =
  'counted as opened: mfa-audit cannot tell whether this sign-in was covered before the change (fail closed)';

/** Gaps of `from` that `to` does not have (closed), or of `to` that `from` does not have (opened), gathered by gap. */
function gapDelta(pairs: GapPair[], side: 'from' | 'to', judge: GapJudge | undefined): GapChange[] {
  const byKey = new Map<string, GapChange>();
  // Accounts of one signature share their gap lists: each pair of lists is compared once (per per-user MFA state,
  // which the sign-in check reads too), and each gap it leaves is keyed once.
  type Keyed = Unmatched & { key: string };
  const seen = new Map<readonly Gap[], Map<readonly Gap[], Map<string, Keyed[]>>>();
  for (const { account, from, to } of pairs) {
    const [mine, theirs] = side === 'from' ? [from, to] : [to, from];
    if (mine.length === 0) continue;
    let inner = seen.get(mine);
    if (!inner) seen.set(mine, (inner = new Map<readonly Gap[], Map<string, Keyed[]>>()));
    let variants = inner.get(theirs);
    if (!variants) inner.set(theirs, (variants = new Map<string, Keyed[]>()));
    const variant = judge ? judge.variantOf(account.id) : '';
    let only = variants.get(variant);
    if (!only) {
      const unmatched = judge ? unmatchedBySignIn(mine, side, account.id, judge) : unmatchedByKey(mine, theirs);
      // With sign-ins checked, a change holds one example that is true of every account it lists.
      only = unmatched.map((u) => {
        const example = judge && u.gap.example ? `\u0000${JSON.stringify(u.gap.example)}` : '';
        return { ...u, key: `${u.undecided ? 'u' : ''}${gapKey(u.gap)}${example}` };
      });
      variants.set(variant, only);
    }
    for (const { gap: g, undecided, key } of only) {
      let change = byKey.get(key);
      if (!change) {
        // Every format shows the description: an undecided gap says why it counts there too.
        const description = undecided ? `${g.description} (${UNDECIDED})` : g.description;
        change = { description, policyIds: g.policyIds, accounts: [] };
        if (g.excludedBy) change.excludedBy = g.excludedBy;
        if (g.example) change.example = g.example;
        if (g.possible) change.possible = true;
        if (undecided) change.undecided = UNDECIDED;
        byKey.set(key, change);
      }
      change.accounts.push(ref(account));
    }
  }
  return [...byKey.values()].sort((a, b) => b.accounts.length - a.accounts.length);
}

/**
 * A finding's identity: its rule and whom it is about; its words only when it names nobody (they hold examples).
 * The accounts it names are compared as lists (`sameAbout`), not joined into the key: a finding about every account
 * of a large tenant names 100,000 of them.
 */
function findingKey(f: Finding): string {
  const policies = f.policyIds ?? [];
  const named = policies.length > 0 || (f.accountIds?.length ?? 0) > 0;
  return named ? `${f.id}\u0000${policies.join(',')}\u0000${f.accountIds?.length ?? 0}` : `${f.id}\u0000${f.message}`;
}

function sameAbout(a: Finding, b: Finding): boolean {
  const x = a.accountIds ?? [];
  const y = b.accountIds ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function findingRef(f: Finding): FindingRef {
  const out: FindingRef = { id: f.id, severity: f.severity, message: f.message };
  if (f.policyIds) out.policyIds = f.policyIds;
  return out;
}

function findingDelta(from: readonly Finding[], to: readonly Finding[]): FindingRef[] {
  const other = new Map<string, Finding[]>();
  for (const f of to) {
    const key = findingKey(f);
    const list = other.get(key);
    if (list) list.push(f);
    else other.set(key, [f]);
  }
  return from.filter((f) => !(other.get(findingKey(f)) ?? []).some((g) => sameAbout(f, g))).map(findingRef);
}

const NO_GAPS: readonly Gap[] = [];

/** Gaps count only where the account can sign in: an exempt account's gaps (none) never open or close. */
function gapsOf(a: AccountResult | undefined): readonly Gap[] {
  return a && a.verdict !== 'exempt' ? a.gaps : NO_GAPS;
}

/** How gaps were matched, when the reader needs to know: words only, or some sign-ins that could not be decided. */
function matchingNotes(input: CompareInput, opened: GapChange[]): string[] {
  if (!input.judge) {
    return [
      'Gaps are matched by the policies whose exclusions open them (else by their words): a report does not hold the ' +
        'policies to check a sign-in against, so a change that only narrows a gap may list it as opened. Compare ' +
        'snapshots to match gaps by whether their sign-in was covered.',
    ];
  }
  const undecided = opened.filter((g) => g.undecided).length;
  if (undecided === 0) return [];
  return [
    `${undecided} of the gaps opened ${undecided === 1 ? 'is' : 'are'} counted as opened because mfa-audit cannot ` +
      'tell whether their sign-in was covered before the change (fail closed); each says so.',
  ];
}

export function compareReports(input: CompareInput): ChangeReport {
  const { before, after } = input;
  const oldById = new Map(before.report.accounts.map((a) => [a.id, a]));
  const newIds = new Set<string>();
  const verdictChanges: VerdictChange[] = [];
  const accountsAdded: VerdictChange[] = [];
  const pairs: GapPair[] = [];
  for (const a of after.report.accounts) {
    newIds.add(a.id);
    const old = oldById.get(a.id);
    if (!old) {
      if (a.verdict === 'fail' || a.verdict === 'unknown') accountsAdded.push(verdictChange('pass', a));
      continue;
    }
    if (old.verdict !== a.verdict) verdictChanges.push(verdictChange(old.verdict, a));
    if (old.gaps !== a.gaps) pairs.push({ account: a, from: gapsOf(old), to: gapsOf(a) });
  }
  const accountsRemoved = before.report.accounts.filter((a) => !newIds.has(a.id)).map(ref);
  verdictChanges.sort((x, y) => changeOrder(x) - changeOrder(y));
  const gapsOpened = gapDelta(pairs, 'to', input.judge);
  const gapsClosed = gapDelta(pairs, 'from', input.judge);
  const findingsAdded = findingDelta(after.report.findings, before.report.findings);
  const findingsRemoved = findingDelta(before.report.findings, after.report.findings);
  const objectChanges = input.objectChanges ?? [];
  const regressions = verdictChanges.filter(isRegression).length;
  const report: ChangeReport = {
    command: input.command,
    tenantId: after.report.tenantId,
    generatedAt: input.now.toISOString(),
    before: { label: before.label, kind: before.kind },
    after: { label: after.label, kind: after.kind },
    summary: {
      regression: regressions > 0 || gapsOpened.length > 0 || accountsAdded.length > 0,
      verdictChanges: verdictChanges.length,
      regressions,
      improvements: verdictChanges.filter((c) => RANK[c.to] < RANK[c.from]).length,
      gapsOpened: gapsOpened.length,
      gapsClosed: gapsClosed.length,
      findingsAdded: findingsAdded.length,
      findingsRemoved: findingsRemoved.length,
      objectChanges: objectChanges.length,
      accountsAdded: accountsAdded.length,
      accountsRemoved: accountsRemoved.length,
    },
    verdictChanges,
    gapsOpened,
    gapsClosed,
    findingsAdded,
    findingsRemoved,
    objectChanges,
    accountsAdded,
    accountsRemoved,
    notes: [...(input.notes ?? []), ...matchingNotes(input, gapsOpened)],
  };
  if (input.objectChangesNote) report.objectChangesNote = input.objectChangesNote;
  return report;
}
