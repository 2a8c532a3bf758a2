/**
 * "Fix these first": the few Conditional Access changes that close the most gaps (a policy exclusion to remove, a
 * report-only policy to turn on, legacy authentication to block), each with the accounts it fixes.
 *
 * A fix claims only what the engine proves: each candidate change is applied to a copy of the policies, the engine's
 * state is rebuilt over them, and a gap counts as closed only when its example sign-in is now surely stopped for
 * that account (a policy that surely targets the account, surely applies to that sign-in and surely demands MFA or
 * blocks). Candidates come from the gaps themselves (who and what their policies exclude), are ranked by an upper
 * bound of what they could close, and only the first few are re-run, so the cost stays small beside the audit.
 */
import type { AccountEvaluation, EngineState } from './engine-types.js';
import type { Json } from './graph-json.js';
import { isObject, strings } from './graph-json.js';
import type { Policy } from './policy.js';
import { compileSignatures, doubtOf, normalisePolicies, targeting } from './policy.js';
import type { Directory } from './directory.js';
import { buildContextSpace } from './contexts.js';
import type { ContextSpace } from './contexts.js';
import { appliesSomewhere, describeGap, evaluateSignature, isStopper } from './ca.js';
import { signatureEntry } from './evaluate.js';
import { inGroup, holdsRole } from './directory.js';
import { ROLE_NAMES } from './constants.js';
import type { Fix, Gap } from './types.js';
import { compareAccounts } from './account-order.js';

/** Fixes listed by default. */
const MAX_FIXES = 5;
/** Candidates re-run through the engine (the best by their upper bound). */
const MAX_SIMULATED = 12;
const REPORT_ONLY = 'enabledForReportingButNotEnforced';
const LEGACY_CLIENTS: readonly string[] = ['exchangeActiveSync', 'other'];
const LEGACY_POLICY_ID = 'mfa-audit:block-legacy-authentication';

interface Candidate {
  id: string;
  kind: Fix['kind'];
  title: string;
  policyIds: string[];
  /** The policies (normalised, every state) as they would be after the change. */
  apply: (policies: Policy[]) => Policy[];
  /** The accounts whose gaps the change may close (an upper bound, with the gaps that may close). */
  reach: Map<AccountEvaluation, Gap[]>;
  /** When the change edits only whom a policy targets: that policy's id (the sign-in contexts stay as they are). */
  usersOf?: string;
}

/** What a simulated candidate surely closes: per account, the gaps whose example sign-in is now stopped. */
interface Outcome {
  candidate: Candidate;
  closed: Map<AccountEvaluation, Gap[]>;
  /** The engine's state with the change made. */
  changed: EngineState;
}

function isPrivileged(e: AccountEvaluation): boolean {
  return (e.result.roles?.length ?? 0) > 0 || (e.result.agentGroups?.length ?? 0) > 0;
}

function addReach(c: Candidate, e: AccountEvaluation, gap: Gap): void {
  const gaps = c.reach.get(e);
  if (!gaps) c.reach.set(e, [gap]);
  else if (!gaps.includes(gap)) gaps.push(gap);
}

/**
 * The policies with one of them edited: `change` gets a copy of the policy and a copy of its raw JSON, and edits both
 * alike (the normalised fields, and the raw ones the sign-in contexts read). Policies are never normalised again:
 * that reads the whole directory.
 */
function editPolicy(policyId: string, change: (p: Policy, raw: Json) => void): (policies: Policy[]) => Policy[] {
  return (policies) =>
    policies.map((p) => {
      if (p.id !== policyId) return p;
      const copy: Policy = { ...p, raw: JSON.parse(JSON.stringify(p.raw)) as Json };
      change(copy, copy.raw);
      return copy;
    });
}

function withoutId(container: unknown, key: string, id: string): void {
  if (!isObject(container)) return;
  const list = container[key];
  if (Array.isArray(list))
    container[key] = list.filter((x) => typeof x !== 'string' || x.toLowerCase() !== id.toLowerCase());
}

function conditionsOf(p: Json): Json {
  return isObject(p.conditions) ? p.conditions : {};
}

/** The exclusions of `policy` that exclude the account: [kind, id] pairs of users, groups, roles and locations. */
function exclusionsOf(state: EngineState, policy: Policy, e: AccountEvaluation, gap: Gap): [string, string][] {
  const { dir } = state;
  const uid = e.result.id;
  const out: [string, string][] = [];
  if (policy.excludeUsers.includes(uid)) out.push(['user', uid]);
  for (const g of policy.excludeGroups) if (inGroup(dir, uid, g) === 'yes') out.push(['group', g]);
  for (const r of policy.excludeRoles) if (holdsRole(dir, uid, r) === 'yes') out.push(['role', r]);
  const locations = conditionsOf(policy.raw).locations;
  const excluded = isObject(locations) ? strings(locations.excludeLocations) : [];
  if (gap.example) {
    if (excluded.includes('AllTrusted') && gap.example.trustedLocation) out.push(['location', 'AllTrusted']);
    for (const id of gap.example.locations) if (excluded.includes(id)) out.push(['location', id]);
  }
  return out;
}

function exclusionTitle(state: EngineState, policy: Policy, kind: string, id: string, upn: string): string {
  const { dir } = state;
  const from = `from the exclusions of '${policy.name}'`;
  if (kind === 'user') return `Remove ${upn} ${from}`;
  if (kind === 'group') return `Remove group '${dir.groupNames.get(id) ?? id}' ${from}`;
  if (kind === 'role') return `Remove role ${ROLE_NAMES[id] ?? id} ${from}`;
  if (id === 'AllTrusted') return `Remove trusted locations (AllTrusted) ${from}`;
  return `Remove location '${dir.namedLocations?.get(id)?.displayName ?? id}' ${from}`;
}

const EXCLUSION_KEYS = { user: 'excludeUsers', group: 'excludeGroups', role: 'excludeRoles' } as const;

function exclusionCandidate(state: EngineState, policy: Policy, kind: string, id: string, upn: string): Candidate {
  const key = EXCLUSION_KEYS[kind as keyof typeof EXCLUSION_KEYS] as
    (typeof EXCLUSION_KEYS)[keyof typeof EXCLUSION_KEYS] | undefined;
  return {
    id: `remove-exclusion:${policy.id}:${id}`,
    kind: 'remove-exclusion',
    title: exclusionTitle(state, policy, kind, id, upn),
    policyIds: [policy.id],
    apply: editPolicy(policy.id, (p, raw) => {
      const conditions = conditionsOf(raw);
      if (key) {
        p[key] = p[key].filter((x) => x !== id);
        withoutId(conditions.users, key, id);
      } else withoutId(conditions.locations, 'excludeLocations', id);
    }),
    reach: new Map(),
    ...(key ? { usersOf: policy.id } : {}),
  };
}

function enableCandidate(policy: Policy): Candidate {
  return {
    id: `enable-report-only:${policy.id}`,
    kind: 'enable-report-only',
    title: `Turn on '${policy.name}' (report-only today: it enforces nothing)`,
    policyIds: [policy.id],
    apply: editPolicy(policy.id, (p, raw) => {
      p.state = raw.state = 'enabled';
    }),
    reach: new Map(),
  };
}

/** A new policy: block Exchange ActiveSync and other legacy clients for all users and apps. */
function legacyCandidate(state: EngineState): Candidate {
  const raw: Json = {
    id: LEGACY_POLICY_ID,
    displayName: 'Block legacy authentication',
    state: 'enabled',
    conditions: {
      users: { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [] },
      applications: { includeApplications: ['All'], excludeApplications: [] },
      clientAppTypes: [...LEGACY_CLIENTS],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  };
  const policy = normalisePolicies({ ...state.dir, caPolicies: [raw] })[0]!;
  return {
    id: 'block-legacy-authentication',
    kind: 'block-legacy-authentication',
    title: 'Block legacy authentication (Exchange ActiveSync, IMAP, POP, SMTP) for all users with a new policy',
    policyIds: [],
    apply: (policies) => [...policies, { ...policy, index: policies.length }],
    reach: new Map(),
  };
}

/** Every candidate the gaps point to, with the accounts and gaps each may close. */
function candidates(state: EngineState, notPassing: AccountEvaluation[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  const enabledById = new Map(state.enabled.map((p) => [p.id, p]));
  const reportOnly = state.policies.filter(
    (p) => p.state === REPORT_ONLY && p.targetsUsers && !p.targetsNoUser && isStopper(p, false),
  );
  const legacyOnlyBlock = reportOnly.some((p) => p.grant.block && coversLegacyOnly(p));
  for (const e of notPassing) {
    for (const gap of e.result.gaps) {
      for (const pid of gap.excludedBy ?? []) {
        const policy = enabledById.get(pid);
        // Removing an exclusion from a policy that blocks would block those sign-ins, not bring MFA to them
        // (policies that block legacy clients only are the exception: those clients cannot do MFA at all).
        if (!policy || (policy.grant.block && !coversLegacyOnly(policy))) continue;
        for (const [kind, id] of exclusionsOf(state, policy, e, gap)) {
          const key = `remove-exclusion:${pid}:${id}`;
          let c = byId.get(key);
          if (!c) byId.set(key, (c = exclusionCandidate(state, policy, kind, id, e.result.userPrincipalName)));
          addReach(c, e, gap);
        }
      }
      // A report-only policy that blocks legacy clients is the fix to offer; a new policy only when there is none.
      if (!legacyOnlyBlock && gap.example && LEGACY_CLIENTS.includes(gap.example.clientAppType)) {
        let c = byId.get('block-legacy-authentication');
        if (!c) byId.set('block-legacy-authentication', (c = legacyCandidate(state)));
        addReach(c, e, gap);
      }
    }
  }
  return [...byId.values(), ...enableCandidates(state, reportOnly, notPassing)];
}

/**
 * A candidate per report-only policy, reaching the accounts it would surely target once on (worked out once, with
 * every one of them on): a policy that may not target an account cannot prove any of its gaps closed.
 */
function enableCandidates(state: EngineState, reportOnly: Policy[], notPassing: AccountEvaluation[]): Candidate[] {
  if (!reportOnly.length) return [];
  const ids = new Set(reportOnly.map((p) => p.id));
  const all = stateWith(
    state,
    state.policies.map((p) => (ids.has(p.id) ? { ...p, state: 'enabled', raw: { ...p.raw, state: 'enabled' } } : p)),
  );
  const found = reportOnly.map((p) => ({
    candidate: enableCandidate(p),
    at: all.enabled.findIndex((q) => q.id === p.id),
  }));
  for (const e of notPassing) {
    const signature = all.signatureOf(e.result.id, e.cls);
    for (const { candidate, at } of found) if (signature[at] === 'y') candidate.reach.set(e, [...e.result.gaps]);
  }
  return found.map((f) => f.candidate).filter((c) => c.reach.size > 0);
}

function coversLegacyOnly(p: Policy): boolean {
  const types = strings(conditionsOf(p.raw).clientAppTypes);
  return types.length > 0 && types.every((t) => LEGACY_CLIENTS.includes(t) || t.startsWith('eas'));
}

/**
 * The engine's state over other policies (same directory, same classifications). When the change edits only whom
 * one policy targets (`usersOf`: its id), the sign-in contexts of `base` still hold, and a signature is `base`'s
 * with that policy's letter worked out again: the costly parts are not rebuilt.
 */
function stateWith(base: EngineState, policies: Policy[], usersOf?: string): EngineState {
  const dir = { ...base.dir, caPolicies: policies.map((p) => p.raw) };
  const enabled = policies.filter((p) => p.state === 'enabled' && p.targetsUsers);
  const at = usersOf === undefined ? -1 : enabled.findIndex((p) => p.id === usersOf);
  const sameShape = at >= 0 && enabled.length === base.enabled.length;
  return {
    dir,
    policies,
    enabled,
    space: sameShape ? base.space : buildContextSpace(dir, enabled),
    cache: new Map(),
    agentGroups: base.agentGroups,
    signatureOf: sameShape ? patchedSignatures(base, dir, enabled[at]!, at) : compileSignatures(dir, enabled),
  };
}

/** `base`'s signatures with one policy's letter decided again (the letters of compileSignatures). */
function patchedSignatures(base: EngineState, dir: Directory, policy: Policy, at: number): EngineState['signatureOf'] {
  return (userId, cls) => {
    const signature = base.signatureOf(userId, cls);
    const t = targeting(dir, policy, userId, cls);
    const letter =
      t.included === 'no' ? 'n' : t.excluded === 'yes' ? 'x' : t.included === 'yes' && t.excluded === 'no' ? 'y' : 'm';
    return signature.slice(0, at) + letter + signature.slice(at + 1);
  };
}

/** A gap's sign-ins: per dimension (by name) the atom it is limited to; dimensions it leaves open are absent. */
interface Region {
  /** The solution's atoms in the audit's own space: equal keys, equal regions. */
  key: string;
  atoms: Map<string, { label: string; labels: string }>;
}

const labelsOf = (space: ContextSpace, di: number): string => space.dims[di]!.atoms.map((a) => a.label).join('\u0000');

/**
 * The region of one of the account's gaps, from the engine's own search (the solution whose example the gap shows);
 * undefined when it cannot be found again (then nothing is claimed for the gap).
 */
function regionOf(state: EngineState, e: AccountEvaluation, gap: Gap): Region | undefined {
  if (!gap.example) return undefined;
  const entry = signatureEntry(state, state.signatureOf(e.result.id, e.cls));
  const wanted = JSON.stringify(gap.example);
  const none = { exclusions: [], satisfiable: [] };
  for (const solution of [...entry.result.solutions, ...(entry.legacy?.solutions ?? [])]) {
    if (JSON.stringify(describeGap(state.space, solution, none).example) !== wanted) continue;
    const atoms = new Map<string, { label: string; labels: string }>();
    solution.atoms.forEach((a, di) => {
      if (a < 0) return;
      const dim = state.space.dims[di]!;
      atoms.set(dim.name, { label: dim.atoms[a]!.label, labels: labelsOf(state.space, di) });
    });
    return { key: solution.atoms.join(','), atoms };
  }
  return undefined;
}

/** The changed state's space with blocking pseudo-policies that fence a region in, and their signature letters. */
interface Fenced {
  space: ContextSpace;
  enabled: Policy[];
  suffix: string;
  /** Positions (in `enabled`) of the policies that can prove the region closed: sure stoppers that may apply in it. */
  relevant: number[];
}

/**
 * One blocking pseudo-policy per limited dimension of the region, applying everywhere except on the region's atom:
 * a gap of the fenced space is a gap inside the region. A dimension whose atoms the change altered is left open (a
 * larger region: never a false claim).
 */
function fence(changed: EngineState, labels: string[], definite: number[], region: Region): Fenced {
  const { space } = changed;
  const base = changed.policies.length;
  const fences: { di: number; atom: number }[] = [];
  space.dims.forEach((d, di) => {
    const r = region.atoms.get(d.name);
    if (!r || r.labels !== labels[di]) return;
    fences.push({ di, atom: d.atoms.findIndex((a) => a.label === r.label) });
  });
  const pseudo: Policy[] = fences.map((_, k) => ({
    ...changed.enabled[0]!,
    index: base + k,
    id: `\u0000fence${k}`,
    grant: { block: true, requiresMfa: 'yes', summary: 'block', withoutMfa: [], maybeReasons: [] },
    doubts: [],
  }));
  const bits = (row: bigint[], di: number) =>
    row.map((m, a) =>
      fences.reduce((acc, f, k) => (f.di === di && f.atom === a ? acc | (1n << BigInt(base + k)) : acc), m),
    );
  const widen = (rows: boolean[][], di: number) =>
    rows.map((row, a) => [...row, ...fences.map((f) => f.di !== di || f.atom !== a)]);
  const relevant = definite.filter((i) =>
    fences.every((f) => space.dims[f.di]!.match[f.atom]![changed.enabled[i]!.index]),
  );
  return {
    space: {
      dims: space.dims.map((d, di) => ({
        ...d,
        match: widen(d.match, di),
        ...(d.sure ? { sure: widen(d.sure, di) } : {}),
      })),
      notMatch: space.notMatch.map(bits),
      notSure: space.notSure.map(bits),
    },
    enabled: [...changed.enabled, ...pseudo],
    suffix: 'y'.repeat(fences.length),
    relevant,
  };
}

/**
 * For one changed state: whether no sign-in of a region gets through without MFA for a signature (the engine's own
 * search over the fenced space). Only sure stoppers that may apply in the region can prove that (a pass never rests
 * on a policy that may not target the account), so the signature is reduced to their letters: accounts that agree
 * on them share one search.
 */
function closer(changed: EngineState): (signature: string, region: Region) => boolean {
  const { space, enabled } = changed;
  const labels = space.dims.map((_, di) => labelsOf(space, di));
  const definite: number[] = [];
  enabled.forEach((p, i) => {
    if (isStopper(p, true) && !doubtOf(p, 'policy').narrow && appliesSomewhere(space, p)) definite.push(i);
  });
  const fenced = new Map<string, Fenced>();
  const answers = new Map<string, boolean>();
  return (signature, region) => {
    let f = fenced.get(region.key);
    if (!f) fenced.set(region.key, (f = fence(changed, labels, definite, region)));
    let letters = '';
    for (const i of f.relevant) letters += signature[i] === 'y' ? 'y' : 'n';
    const key = `${region.key}\u0001${letters}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      const reduced = new Array<string>(enabled.length).fill('n');
      f.relevant.forEach((i, k) => (reduced[i] = letters[k]!));
      answer = evaluateSignature(f.space, f.enabled, reduced.join('') + f.suffix).verdict === 'pass';
      answers.set(key, answer);
    }
    return answer;
  };
}

/** Re-runs the engine with the candidate applied on top of `policies`: the gaps it surely closes, account by account. */
function simulate(
  state: EngineState,
  base: EngineState,
  policies: Policy[],
  candidate: Candidate,
  regions: Map<Gap, Region | undefined>,
  done: Map<AccountEvaluation, Set<Gap>>,
): Outcome {
  const changed = stateWith(base, candidate.apply(policies), candidate.usersOf);
  const closes = closer(changed);
  const closed = new Map<AccountEvaluation, Gap[]>();
  for (const [e, gaps] of candidate.reach) {
    const open = gaps.filter((g) => !done.get(e)?.has(g));
    if (!open.length) continue;
    const signature = changed.signatureOf(e.result.id, e.cls);
    const shut: Gap[] = [];
    for (const gap of open) {
      if (!regions.has(gap)) regions.set(gap, regionOf(state, e, gap));
      const region = regions.get(gap);
      if (region && closes(signature, region)) shut.push(gap);
    }
    if (shut.length) closed.set(e, shut);
  }
  return { candidate, closed, changed };
}

interface Score {
  privilegedGaps: number;
  gaps: number;
}

function score(closed: Map<AccountEvaluation, Gap[]>): Score {
  const s: Score = { privilegedGaps: 0, gaps: 0 };
  for (const [e, gaps] of closed) {
    s.gaps += gaps.length;
    if (isPrivileged(e)) s.privilegedGaps += gaps.length;
  }
  return s;
}

function better(a: Score, b: Score): number {
  return b.privilegedGaps - a.privilegedGaps || b.gaps - a.gaps;
}

function toFix(outcome: Outcome): Fix {
  const { candidate, closed } = outcome;
  const accounts = [...closed.keys()].sort(
    (a, b) => Number(isPrivileged(b)) - Number(isPrivileged(a)) || compareAccounts(a.result, b.result),
  );
  return {
    id: candidate.id,
    kind: candidate.kind,
    title: candidate.title,
    policyIds: candidate.policyIds,
    accountIds: accounts.map((e) => e.result.id),
    gapsClosed: score(closed).gaps,
    privileged: accounts.filter(isPrivileged).length,
  };
}

/**
 * The fixes, best first: greedily, the change that closes the most gaps (privileged accounts' gaps first), each
 * counted with the fixes before it already made (a gap that needs two changes is claimed by the second), at most
 * `max`.
 */
export function planFixes(state: EngineState, evaluations: AccountEvaluation[], max = MAX_FIXES): Fix[] {
  if (state.dir.securityDefaults === true || !state.dir.caPolicies) return [];
  const notPassing = evaluations.filter(
    (e) => (e.result.verdict === 'fail' || e.result.verdict === 'unknown') && e.result.gaps.length > 0,
  );
  if (!notPassing.length) return [];
  const bound = (c: Candidate) => score(c.reach);
  let pending = candidates(state, notPassing)
    .sort((a, b) => better(bound(a), bound(b)) || compareText(a.id, b.id))
    .slice(0, MAX_SIMULATED);
  const regions = new Map<Gap, Region | undefined>();
  const done = new Map<AccountEvaluation, Set<Gap>>();
  const chosen: Outcome[] = [];
  let policies = state.policies;
  let base = state;
  while (chosen.length < max && pending.length) {
    const outcomes = pending
      .map((c) => simulate(state, base, policies, c, regions, done))
      .filter((o) => o.closed.size > 0);
    if (!outcomes.length) break;
    const scored = outcomes.map((o) => ({ o, s: score(o.closed) }));
    scored.sort((a, b) => better(a.s, b.s) || compareText(a.o.candidate.id, b.o.candidate.id));
    const best = scored[0]!.o;
    chosen.push(best);
    policies = best.candidate.apply(policies);
    base = best.changed;
    for (const [e, gaps] of best.closed) {
      let set = done.get(e);
      if (!set) done.set(e, (set = new Set()));
      for (const g of gaps) set.add(g);
    }
    pending = pending.filter((c) => c !== best.candidate);
  }
  return chosen.map(toFix);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
