/**
 * "Fix these first": the few Conditional Access changes that close the most gaps (a policy exclusion to remove, a
 * report-only policy to turn on, legacy authentication to block), each with the accounts it fixes.
 *
 * A fix claims only what the engine proves: each candidate change is applied to a copy of the policies, the engine's
 * state is rebuilt over them, and a gap counts as closed only when its example sign-in is now surely stopped for
 * that account (a policy that surely targets the account, surely applies to that sign-in and surely demands MFA or
 * blocks). Candidates come from the gaps themselves (who and what their policies exclude), are ranked by an upper
 * bound of what they could close, and only the first few are re-run, so the cost stays small beside the audit.
 *
 * What keeps it small at 100,000 accounts, without changing a single answer:
 * - accounts of one signature share their list of gaps, so candidates are found once per list (and from the users
 *   an exclusion names), and reach those accounts as one run;
 * - a change rebuilds only what it alters: one letter of each signature when it edits whom a policy targets, the
 *   sign-in contexts when it edits where one applies (built once per candidate for as long as the fixes chosen since
 *   edit only whom policies target), a letter more when it turns a policy on;
 * - a greedy round tries candidates by their upper bound and stops once the next bound cannot beat the best outcome;
 *   an outcome is kept into the next round unless the fix just made changed the sign-in contexts, edits the same
 *   policy, or changed that policy's letter for one of the candidate's accounts.
 */
import type { AccountEvaluation, EngineState, SignatureEntry } from './engine-types.js';
import type { Json } from './graph-json.js';
import { isObject, strings } from './graph-json.js';
import type { Policy } from './policy.js';
import { compileSignatures, doubtOf, normalisePolicies } from './policy.js';
import type { Directory } from './directory.js';
import { buildContextSpace } from './contexts.js';
import type { ContextSpace } from './contexts.js';
import { appliesSomewhere, describeGap, evaluateSignature, isStopper } from './ca.js';
import { signatureEntry } from './evaluate.js';
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

/** What a candidate changes, which says what of the engine's state stays as it was (see stateWith). */
interface Change {
  /** The policy edited, turned on or added. */
  policyId: string;
  /**
   * `users`: whom the policy targets (the sign-in contexts stay, one letter of each signature changes). `contexts`:
   * where it applies (the signatures stay, the contexts change). `added`: it joins the enabled policies (each
   * signature gains its letter, the contexts change).
   */
  scope: 'users' | 'contexts' | 'added';
}

/**
 * Accounts and the gaps of theirs a change may close. Accounts of one signature share their list of gaps, so a change
 * whose reach depends on the gaps alone reaches them in one run. Lists are shared (with other runs and the accounts'
 * results): never changed in place. Their order carries no meaning (a fix's accounts are sorted when it is listed).
 */
interface Run {
  accounts: AccountEvaluation[];
  gaps: readonly Gap[];
}

interface Candidate {
  id: string;
  kind: Fix['kind'];
  title: string;
  policyIds: string[];
  /** The policies (normalised, every state) as they would be after the change. */
  apply: (policies: Policy[]) => Policy[];
  change: Change;
  /** The accounts whose gaps the change may close (an upper bound, with the gaps that may close). */
  reach: Run[];
  /** What the reach adds up to: the most the change could close. */
  bound: Score;
  /** The sign-in contexts with the change made, and the epoch they were built in (see Progress). */
  space?: { epoch: number; space: ContextSpace };
}

/** What a simulated candidate surely closes: per account, the gaps whose example sign-in is now stopped. */
type Closed = Map<AccountEvaluation, Gap[]>;

function isPrivileged(e: AccountEvaluation): boolean {
  return (e.result.roles?.length ?? 0) > 0 || (e.result.agentGroups?.length ?? 0) > 0;
}

const NOTHING: Score = { privilegedGaps: 0, gaps: 0 };

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

/** An enabled policy whose exclusions may be removed, with the locations it excludes (read once, not per account). */
interface Excluder {
  policy: Policy;
  locations: string[];
  /** It excludes users, groups or roles (the accounts those reach are found from the users they exclude). */
  byAccount: boolean;
}

/** The users, groups and roles of a policy's exclusions, each with the users it excludes for sure. */
function excludedPrincipals(state: EngineState, policy: Policy): [string, string, Iterable<string>][] {
  const { dir } = state;
  const out: [string, string, Iterable<string>][] = [];
  for (const uid of new Set(policy.excludeUsers)) out.push(['user', uid, [uid]]);
  for (const g of new Set(policy.excludeGroups)) out.push(['group', g, dir.groupMembers.get(g) ?? []]);
  for (const r of new Set(policy.excludeRoles)) {
    const holders: string[] = [];
    for (const [uid, holding] of dir.roles ?? []) if (holding.held.has(r)) holders.push(uid);
    out.push(['role', r, holders]);
  }
  return out;
}

/** The locations of the policy's exclusions that the gap's example sign-in is in. */
function locationExclusions(excluder: Excluder, gap: Gap): string[] {
  const { locations: excluded } = excluder;
  const out: string[] = [];
  if (gap.example && excluded.length) {
    if (excluded.includes('AllTrusted') && gap.example.trustedLocation) out.push('AllTrusted');
    for (const id of gap.example.locations) if (excluded.includes(id)) out.push(id);
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
    change: { policyId: policy.id, scope: key ? 'users' : 'contexts' },
    reach: [],
    bound: NOTHING,
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
    change: { policyId: policy.id, scope: 'added' },
    reach: [],
    bound: NOTHING,
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
    change: { policyId: LEGACY_POLICY_ID, scope: 'added' },
    reach: [],
    bound: NOTHING,
  };
}

/**
 * Every candidate the gaps point to, with the accounts and gaps each may close: the exclusions of users, groups and
 * roles from the users they exclude, the rest (locations to stop excluding, legacy clients to block, which depend on
 * the gaps alone) once per list of gaps.
 */
function candidates(state: EngineState, notPassing: AccountEvaluation[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  const candidate = (key: string, make: () => Candidate) => {
    let c = byId.get(key);
    if (!c) byId.set(key, (c = make()));
    return c;
  };
  const reportOnly = state.policies.filter(
    (p) => p.state === REPORT_ONLY && p.targetsUsers && !p.targetsNoUser && isStopper(p, false),
  );
  const legacyOnlyBlock = reportOnly.some((p) => p.grant.block && coversLegacyOnly(p));
  const excluders = excludersOf(state);
  const lists = new Map<readonly Gap[], AccountEvaluation[]>();
  for (const e of notPassing) {
    let accounts = lists.get(e.result.gaps);
    if (!accounts) {
      lists.set(e.result.gaps, (accounts = []));
      for (const [c, gaps] of byGaps(state, e, excluders, legacyOnlyBlock, candidate)) c.reach.push({ accounts, gaps });
    }
    accounts.push(e);
  }
  const accountOf = new Map(notPassing.map((e) => [e.result.id, e]));
  for (const [pid, excluder] of excluders) {
    if (!excluder?.byAccount) continue;
    for (const [kind, id, uids] of excludedPrincipals(state, excluder.policy)) {
      for (const uid of uids) {
        const e = accountOf.get(uid);
        const gaps = e?.result.gaps.filter((g) => g.excludedBy?.includes(pid));
        if (!e || !gaps?.length) continue;
        const make = () => exclusionCandidate(state, excluder.policy, kind, id, e.result.userPrincipalName);
        candidate(`remove-exclusion:${pid}:${id}`, make).reach.push({ accounts: [e], gaps });
      }
    }
  }
  const all = [...byId.values(), ...enableCandidates(state, reportOnly, notPassing)];
  for (const c of all) c.bound = reachScore(c.reach);
  return all;
}

/** The candidates an account's list of gaps leads to by the gaps alone, with the gaps of the list each may close. */
function byGaps(
  state: EngineState,
  e: AccountEvaluation,
  excluders: Map<string, Excluder | undefined>,
  legacyOnlyBlock: boolean,
  candidate: (key: string, make: () => Candidate) => Candidate,
): Map<Candidate, Gap[]> {
  const shared = new Map<Candidate, Gap[]>();
  const share = (c: Candidate, gap: Gap) => {
    const gaps = shared.get(c);
    if (!gaps) shared.set(c, [gap]);
    else if (!gaps.includes(gap)) gaps.push(gap);
  };
  for (const gap of e.result.gaps) {
    for (const pid of gap.excludedBy ?? []) {
      const excluder = excluders.get(pid);
      if (!excluder) continue;
      for (const id of locationExclusions(excluder, gap)) {
        const make = () => exclusionCandidate(state, excluder.policy, 'location', id, e.result.userPrincipalName);
        share(candidate(`remove-exclusion:${pid}:${id}`, make), gap);
      }
    }
    // A report-only policy that blocks legacy clients is the fix to offer; a new policy only when there is none.
    if (!legacyOnlyBlock && gap.example && LEGACY_CLIENTS.includes(gap.example.clientAppType)) {
      share(
        candidate('block-legacy-authentication', () => legacyCandidate(state)),
        gap,
      );
    }
  }
  return shared;
}

/** The enabled policies by id, with what to know of their exclusions; undefined for those that offer none. */
function excludersOf(state: EngineState): Map<string, Excluder | undefined> {
  const excluders = new Map<string, Excluder | undefined>();
  for (const policy of state.enabled) {
    // Removing an exclusion from a policy that blocks would block those sign-ins, not bring MFA to them
    // (policies that block legacy clients only are the exception: those clients cannot do MFA at all).
    const offered = !policy.grant.block || coversLegacyOnly(policy);
    const locations = conditionsOf(policy.raw).locations;
    const byAccount = policy.excludeUsers.length + policy.excludeGroups.length + policy.excludeRoles.length > 0;
    excluders.set(
      policy.id,
      offered
        ? { policy, locations: isObject(locations) ? strings(locations.excludeLocations) : [], byAccount }
        : undefined,
    );
  }
  return excluders;
}

/**
 * A candidate per report-only policy, reaching the accounts it would surely target once on: a policy that may not
 * target an account cannot prove any of its gaps closed. A policy's letter in a signature is its own (it does not
 * depend on the other policies), so the report-only policies' letters are compiled alone.
 */
function enableCandidates(state: EngineState, reportOnly: Policy[], notPassing: AccountEvaluation[]): Candidate[] {
  if (!reportOnly.length) return [];
  const signatureOf = compileSignatures(state.dir, reportOnly);
  const found = reportOnly.map((p) => ({ candidate: enableCandidate(p), runs: new Map<readonly Gap[], Run>() }));
  for (const e of notPassing) {
    const signature = signatureOf(e.result.id, e.cls);
    found.forEach(({ runs }, at) => {
      if (signature[at] !== 'y') return;
      const run = runs.get(e.result.gaps);
      if (run) run.accounts.push(e);
      else runs.set(e.result.gaps, { accounts: [e], gaps: e.result.gaps });
    });
  }
  for (const { candidate, runs } of found) candidate.reach = [...runs.values()];
  return found.map((f) => f.candidate).filter((c) => c.reach.length > 0);
}

function coversLegacyOnly(p: Policy): boolean {
  const types = strings(conditionsOf(p.raw).clientAppTypes);
  return types.length > 0 && types.every((t) => LEGACY_CLIENTS.includes(t) || t.startsWith('eas'));
}

/**
 * The engine's state over other policies (same directory, same classifications), rebuilding only what the change
 * alters: with the change's policy where it was (or, added, one more), every other letter of a signature stays, so a
 * signature is `base`'s with that policy's letter put in; the sign-in contexts stay when only whom it targets
 * changes. `space`, when given, is the sign-in contexts of these very policies, built before.
 */
function stateWith(base: EngineState, policies: Policy[], change: Change, space?: ContextSpace): EngineState {
  const dir = { ...base.dir, caPolicies: policies.map((p) => p.raw) };
  const enabled = policies.filter((p) => p.state === 'enabled' && p.targetsUsers);
  const at = enabled.findIndex((p) => p.id === change.policyId);
  const added = change.scope === 'added';
  const inPlace = at >= 0 && enabled.length === base.enabled.length + (added ? 1 : 0);
  let signatureOf = base.signatureOf;
  if (!inPlace) signatureOf = compileSignatures(dir, enabled);
  else if (change.scope !== 'contexts') signatureOf = withLetter(base.signatureOf, dir, enabled[at]!, at, added);
  return {
    dir,
    policies,
    enabled,
    space: inPlace && change.scope === 'users' ? base.space : (space ?? buildContextSpace(dir, enabled)),
    cache: new Map(),
    agentGroups: base.agentGroups,
    signatureOf,
  };
}

/** Signatures with one policy's letter put at `at`: in place of the letter there, or inserted (`insert`). */
function withLetter(
  signatureOf: EngineState['signatureOf'],
  dir: Directory,
  policy: Policy,
  at: number,
  insert: boolean,
): EngineState['signatureOf'] {
  const letterOf = compileSignatures(dir, [policy]);
  return (userId, cls) => {
    const signature = signatureOf(userId, cls);
    return signature.slice(0, at) + letterOf(userId, cls) + signature.slice(insert ? at : at + 1);
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
 * The region of one of an account's gaps, from the engine's own search (the first solution whose example the gap
 * shows); undefined when it cannot be found again (then nothing is claimed for the gap). The solutions of a signature
 * are described once, for all its gaps.
 */
function regionFinder(state: EngineState): (e: AccountEvaluation, gap: Gap) => Region | undefined {
  const labels = state.space.dims.map((_, di) => labelsOf(state.space, di));
  const none = { exclusions: [], satisfiable: [] };
  const described = new Map<SignatureEntry, { legacy: SignatureEntry['legacy']; byExample: Map<string, Region> }>();
  const regionsOf = (entry: SignatureEntry): Map<string, Region> => {
    let found = described.get(entry);
    if (found?.legacy !== entry.legacy) found = undefined;
    if (!found) {
      const byExample = new Map<string, Region>();
      for (const solution of [...entry.result.solutions, ...(entry.legacy?.solutions ?? [])]) {
        const example = JSON.stringify(describeGap(state.space, solution, none).example);
        if (byExample.has(example)) continue;
        const atoms = new Map<string, { label: string; labels: string }>();
        solution.atoms.forEach((a, di) => {
          if (a < 0) return;
          const dim = state.space.dims[di]!;
          atoms.set(dim.name, { label: dim.atoms[a]!.label, labels: labels[di]! });
        });
        byExample.set(example, { key: solution.atoms.join(','), atoms });
      }
      described.set(entry, (found = { legacy: entry.legacy, byExample }));
    }
    return found.byExample;
  };
  return (e, gap) => {
    if (!gap.example) return undefined;
    const entry = signatureEntry(state, state.signatureOf(e.result.id, e.cls));
    return regionsOf(entry).get(JSON.stringify(gap.example));
  };
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

/**
 * Where the greedy search stands: the fixes made so far and what is kept from one round to the next. A candidate's
 * sign-in contexts are kept for as long as the fixes made since edit only whom policies target (those leave the
 * contexts as they are): `epoch` counts the fixes that changed them.
 */
interface Progress {
  /** The state with the fixes so far made, over `policies`. */
  base: EngineState;
  policies: Policy[];
  epoch: number;
  /** Per account, the gaps the fixes so far close. */
  done: Map<AccountEvaluation, Set<Gap>>;
  /** A gap's region, found in the audit's own state (see regionFinder). */
  regionOf: (e: AccountEvaluation, gap: Gap) => Region | undefined;
  regions: Map<Gap, Region | undefined>;
  /** Outcomes that still hold over `base`: no fix made since changed a letter of one of the candidate's accounts. */
  known: Map<Candidate, Closed>;
}

/** The gaps of `closed` that the fixes made so far leave open. */
function stillOpen(progress: Progress, closed: Closed): Closed {
  const open: Closed = new Map();
  for (const [e, gaps] of closed) {
    const done = progress.done.get(e);
    const left = done ? gaps.filter((g) => !done.has(g)) : gaps;
    if (left.length) open.set(e, left);
  }
  return open;
}

/** What a candidate could close at most, now: the score of the gaps of its reach still open. */
function openBound(progress: Progress, candidate: Candidate): Score {
  if (!progress.done.size) return candidate.bound;
  const s: Score = { privilegedGaps: 0, gaps: 0 };
  for (const { accounts, gaps } of candidate.reach) {
    for (const e of accounts) {
      const done = progress.done.get(e);
      const open = done ? gaps.reduce((n, g) => (done.has(g) ? n : n + 1), 0) : gaps.length;
      s.gaps += open;
      if (isPrivileged(e)) s.privilegedGaps += open;
    }
  }
  return s;
}

/** The state with its signatures kept per account once worked out: every candidate of a round asks for them. */
function remembering(s: EngineState): EngineState {
  const signatures = new Map<string, string>();
  const signatureOf: EngineState['signatureOf'] = (userId, cls) => {
    let signature = signatures.get(userId);
    if (signature === undefined) signatures.set(userId, (signature = s.signatureOf(userId, cls)));
    return signature;
  };
  return { ...s, signatureOf };
}

/** Re-runs the engine with the candidate applied on top of the fixes made: the gaps it surely closes, per account. */
function simulate(progress: Progress, candidate: Candidate): Closed {
  const { base, epoch, regions } = progress;
  const space = candidate.space?.epoch === epoch ? candidate.space.space : undefined;
  const changed = stateWith(base, candidate.apply(progress.policies), candidate.change, space);
  if (changed.space !== base.space) candidate.space = { epoch, space: changed.space };
  const closes = closer(changed);
  const closed: Closed = new Map();
  for (const { accounts, gaps } of candidate.reach) {
    // The accounts of a run share their gaps: those with the same signature and no gap closed yet share the answer.
    let last: { signature: string; shut: Gap[] } | undefined;
    for (const e of accounts) {
      const done = progress.done.get(e);
      const signature = changed.signatureOf(e.result.id, e.cls);
      let shut = !done && last?.signature === signature ? last.shut : undefined;
      if (!shut) {
        shut = [];
        for (const gap of gaps) {
          if (done?.has(gap)) continue;
          if (!regions.has(gap)) regions.set(gap, progress.regionOf(e, gap));
          const region = regions.get(gap);
          if (region && closes(signature, region)) shut.push(gap);
        }
        if (!done) last = { signature, shut };
      }
      if (!shut.length) continue;
      // An account reached twice by one candidate (never in practice) keeps the gaps of both.
      const before = closed.get(e);
      closed.set(e, before ? [...new Set([...before, ...shut])] : shut);
    }
  }
  return closed;
}

/** Whether outcome `a` (score, candidate id) ranks before `b`: more privileged gaps, then more gaps, then by id. */
function ranksBefore(a: Score, aId: string, b: Score, bId: string): boolean {
  return (better(a, b) || compareText(aId, bId)) < 0;
}

/**
 * The round's best outcome (the same one as re-running every candidate): candidates are tried by their upper bound
 * over the gaps still open, and once a bound cannot rank before the best so far, none after it can.
 */
function bestOutcome(progress: Progress, pending: Candidate[]): { candidate: Candidate; closed: Closed } | undefined {
  const ranked = pending
    .map((candidate) => ({ candidate, bound: openBound(progress, candidate) }))
    .sort((a, b) => better(a.bound, b.bound) || compareText(a.candidate.id, b.candidate.id));
  let best: { candidate: Candidate; closed: Closed; score: Score } | undefined;
  for (const { candidate, bound } of ranked) {
    if (bound.gaps === 0) break;
    if (best && !ranksBefore(bound, candidate.id, best.score, best.candidate.id)) break;
    const known = progress.known.get(candidate);
    const closed = known ? stillOpen(progress, known) : simulate(progress, candidate);
    progress.known.set(candidate, closed);
    if (!closed.size) continue;
    const s = score(closed);
    if (!best || ranksBefore(s, candidate.id, best.score, best.candidate.id)) best = { candidate, closed, score: s };
  }
  return best;
}

/**
 * Makes the fix: the base moves on, its gaps are done, and the outcomes it may have changed are forgotten — all of
 * them when it changed the sign-in contexts, else those of candidates that edit the same policy or reach an account
 * whose letter of that policy changed.
 */
function makeFix(progress: Progress, fix: Candidate, closed: Closed): void {
  const before = progress.base;
  const space = fix.space?.epoch === progress.epoch ? fix.space.space : undefined;
  progress.policies = fix.apply(progress.policies);
  progress.base = remembering(stateWith(before, progress.policies, fix.change, space));
  for (const [e, gaps] of closed) {
    let set = progress.done.get(e);
    if (!set) progress.done.set(e, (set = new Set()));
    for (const g of gaps) set.add(g);
  }
  progress.known.delete(fix);
  if (progress.base.space !== before.space) {
    progress.epoch++;
    progress.known.clear();
    return;
  }
  const at = progress.base.enabled.findIndex((p) => p.id === fix.change.policyId);
  const was = compileSignatures(before.dir, [before.enabled[at]!]);
  const now = compileSignatures(progress.base.dir, [progress.base.enabled[at]!]);
  const touched = new Map<AccountEvaluation, boolean>();
  const isTouched = (e: AccountEvaluation) => {
    let t = touched.get(e);
    if (t === undefined) touched.set(e, (t = was(e.result.id, e.cls) !== now(e.result.id, e.cls)));
    return t;
  };
  for (const c of progress.known.keys()) {
    if (c.change.policyId === fix.change.policyId || c.reach.some((run) => run.accounts.some(isTouched)))
      progress.known.delete(c);
  }
}

interface Score {
  privilegedGaps: number;
  gaps: number;
}

function score(closed: Closed): Score {
  const s: Score = { privilegedGaps: 0, gaps: 0 };
  for (const [e, gaps] of closed) {
    s.gaps += gaps.length;
    if (isPrivileged(e)) s.privilegedGaps += gaps.length;
  }
  return s;
}

/** The score of every gap a candidate reaches: the most it could close. */
function reachScore(reach: Run[]): Score {
  const s: Score = { privilegedGaps: 0, gaps: 0 };
  for (const { accounts, gaps } of reach) {
    s.gaps += accounts.length * gaps.length;
    for (const e of accounts) if (isPrivileged(e)) s.privilegedGaps += gaps.length;
  }
  return s;
}

function better(a: Score, b: Score): number {
  return b.privilegedGaps - a.privilegedGaps || b.gaps - a.gaps;
}

function toFix({ candidate, closed }: { candidate: Candidate; closed: Closed }): Fix {
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
  let pending = candidates(state, notPassing)
    .sort((a, b) => better(a.bound, b.bound) || compareText(a.id, b.id))
    .slice(0, MAX_SIMULATED);
  const progress: Progress = {
    regionOf: regionFinder(state),
    base: remembering(state),
    policies: state.policies,
    epoch: 0,
    done: new Map(),
    regions: new Map(),
    known: new Map(),
  };
  const chosen: { candidate: Candidate; closed: Closed }[] = [];
  while (chosen.length < max && pending.length) {
    const best = bestOutcome(progress, pending);
    if (!best) break;
    chosen.push(best);
    makeFix(progress, best.candidate, best.closed);
    pending = pending.filter((c) => c !== best.candidate);
  }
  return chosen.map(toFix);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
