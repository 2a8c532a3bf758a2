/**
 * Two tenant reports compared: accounts whose verdict changed, gaps opened and closed (by their sign-in in words),
 * findings added and removed, accounts added and removed. Pure; the reports are not modified.
 */
import type { AccountResult, AccountVerdict, Finding, Gap, TenantReport } from '../tenant/types.js';
import type { AccountRef, ChangeReport, FindingRef, GapChange, ObjectChange, VerdictChange } from './types.js';

export interface CompareInput {
  command: ChangeReport['command'];
  before: { report: TenantReport; label: string; kind: ChangeReport['before']['kind'] };
  after: { report: TenantReport; label: string; kind: ChangeReport['after']['kind'] };
  objectChanges?: ObjectChange[];
  objectChangesNote?: string;
  notes?: string[];
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

/** Gaps of `from` that `to` does not have, per account, gathered by gap. */
function gapDelta(
  pairs: Array<{ account: AccountResult; from: readonly Gap[]; to: readonly Gap[] }>,
  side: 'from' | 'to',
): GapChange[] {
  const byKey = new Map<string, GapChange>();
  // Accounts of one signature share their gap lists: each pair of lists is compared once.
  const seen = new Map<readonly Gap[], Map<readonly Gap[], Gap[]>>();
  for (const { account, from, to } of pairs) {
    const [mine, theirs] = side === 'from' ? [from, to] : [to, from];
    let inner = seen.get(mine);
    if (!inner) seen.set(mine, (inner = new Map<readonly Gap[], Gap[]>()));
    let only = inner.get(theirs);
    if (!only) {
      const other = new Set(theirs.map(gapKey));
      only = mine.filter((g) => !other.has(gapKey(g)));
      inner.set(theirs, only);
    }
    for (const g of only) {
      const key = gapKey(g);
      let change = byKey.get(key);
      if (!change) {
        change = { description: g.description, policyIds: g.policyIds, accounts: [] };
        if (g.excludedBy) change.excludedBy = g.excludedBy;
        if (g.example) change.example = g.example;
        if (g.possible) change.possible = true;
        byKey.set(key, change);
      }
      change.accounts.push(ref(account));
    }
  }
  return [...byKey.values()].sort((a, b) => b.accounts.length - a.accounts.length);
}

/** A finding's identity: its rule and whom it is about; its words only when it names nobody (they hold examples). */
function findingKey(f: Finding): string {
  const about = [...(f.policyIds ?? []), '|', ...(f.accountIds ?? [])];
  return about.length > 1 ? `${f.id}\u0000${about.join(',')}` : `${f.id}\u0000${f.message}`;
}

function findingRef(f: Finding): FindingRef {
  const out: FindingRef = { id: f.id, severity: f.severity, message: f.message };
  if (f.policyIds) out.policyIds = f.policyIds;
  return out;
}

function findingDelta(from: readonly Finding[], to: readonly Finding[]): FindingRef[] {
  const other = new Set(to.map(findingKey));
  return from.filter((f) => !other.has(findingKey(f))).map(findingRef);
}

const NO_GAPS: readonly Gap[] = [];

/** Gaps count only where the account can sign in: an exempt account's gaps (none) never open or close. */
function gapsOf(a: AccountResult | undefined): readonly Gap[] {
  return a && a.verdict !== 'exempt' ? a.gaps : NO_GAPS;
}

export function compareReports(input: CompareInput): ChangeReport {
  const { before, after } = input;
  const oldById = new Map(before.report.accounts.map((a) => [a.id, a]));
  const newIds = new Set<string>();
  const verdictChanges: VerdictChange[] = [];
  const accountsAdded: VerdictChange[] = [];
  const pairs: Array<{ account: AccountResult; from: readonly Gap[]; to: readonly Gap[] }> = [];
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
  const gapsOpened = gapDelta(pairs, 'to');
  const gapsClosed = gapDelta(pairs, 'from');
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
    notes: input.notes ?? [],
  };
  if (input.objectChangesNote) report.objectChangesNote = input.objectChangesNote;
  return report;
}
