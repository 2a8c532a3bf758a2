/** evaluation.md §9: Conditional Access What If — requests, interpretation, grouping, and what answers do. */
import { describe, expect, it } from 'vitest';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import type { Snapshot } from '../../../src/core/snapshot.js';
import { countryNamedLocation } from '../../../src/core/snapshot-builder.js';
import {
  planWhatIf,
  planWhatIfInSteps,
  prepare,
  usersNeedingPerUserMfaState,
  usersNeedingPerUserMfaStateInSteps,
} from '../../../src/core/tenant/audit.js';
import type { AuditOptions } from '../../../src/core/tenant/audit.js';
import type { SignInExample } from '../../../src/core/tenant/types.js';
import type { WhatIfContext, WhatIfRequest } from '../../../src/core/tenant/what-if.js';
import { canonicalJson, interpretWhatIf, whatIfKey, whatIfRequestFor } from '../../../src/core/tenant/what-if.js';
import { ALICE, BOB, MFA_ALL, NOW, account, audit, complete, ipLocation, members, policy, user } from './build.js';
import { exampleOf } from '../../../src/core/tenant/contexts.js';

const OPTS: AuditOptions = { now: NOW, breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };

/** The neutral sign-in: a browser on Windows, nothing named, no risk (the engine's own defaults). */
const EXAMPLE: SignInExample = exampleOf([]);

function ctxOf(snapshot: Snapshot): WhatIfContext {
  const state = prepare(snapshot);
  return { namedLocations: state.dir.namedLocations, policies: state.enabled };
}

function build(example: Partial<SignInExample>, snapshot = complete([ALICE], [MFA_ALL])): WhatIfRequest {
  const built = whatIfRequestFor(ALICE as { id: string }, { ...EXAMPLE, ...example }, ctxOf(snapshot));
  if ('notCheckable' in built) throw new Error(built.notCheckable);
  return built.request;
}

function notCheckable(example: Partial<SignInExample>, snapshot = complete([ALICE], [MFA_ALL])): string {
  const built = whatIfRequestFor(ALICE as { id: string }, { ...EXAMPLE, ...example }, ctxOf(snapshot));
  return 'notCheckable' in built ? built.notCheckable : '';
}

/** A What If answer row in Graph's shape (whatIfAnalysisResult). */
function row(id: string, applies: boolean, reason = applies ? 'notSet' : 'users', state = 'enabled') {
  return { id, displayName: id, state, policyApplies: applies, analysisReasons: reason };
}

describe('whatIfRequestFor: one dimension at a time', () => {
  it('names the user and lists every policy', () => {
    const r = build({});
    expect(r.signInIdentity).toEqual({ '@odata.type': '#microsoft.graph.userSignIn', userId: ALICE.id });
    expect(r.appliedPoliciesOnly).toBe(false);
  });
  it('application: a named app is itself; otherwise a well-known app of the same group that no policy names', () => {
    expect(build({ application: { appId: 'app-1', office365: false, adminPortal: false } }).signInContext).toEqual({
      '@odata.type': '#microsoft.graph.applicationContext',
      includeApplications: ['app-1'],
    });
    const app = (e: SignInExample['application'], s?: Snapshot) =>
      build({ application: e }, s).signInContext.includeApplications[0];
    expect(app({ appId: null, office365: false, adminPortal: false })).toBe('00000003-0000-0000-c000-000000000000');
    expect(app({ appId: null, office365: true, adminPortal: false })).toBe('00000002-0000-0ff1-ce00-000000000000');
    expect(app({ appId: null, office365: false, adminPortal: true })).toBe('c44b4083-3bb0-49c1-b47d-974e53cbdf3c');
    // Microsoft Graph named by a policy: it is not "an app no policy names", the next one is used.
    const graphNamed = policy({
      id: 'p-g',
      applications: { includeApplications: ['00000003-0000-0000-c000-000000000000'], excludeApplications: [] },
    });
    expect(
      app({ appId: null, office365: false, adminPortal: false }, complete([ALICE], [MFA_ALL, graphNamed])),
    ).not.toBe('00000003-0000-0000-c000-000000000000');
    expect(notCheckable({ applicationFilterMatches: ['app.x -eq "y"'] })).toMatch(/application filter/);
  });
  it('client app type, platform, risks', () => {
    const c = build({
      clientAppType: 'exchangeActiveSync',
      platform: 'iOS',
      signInRisk: 'high',
      userRisk: 'medium',
      insiderRisk: 'elevated',
    }).signInConditions;
    expect(c).toMatchObject({
      clientAppType: 'exchangeActiveSync',
      devicePlatform: 'iOS',
      signInRiskLevel: 'high',
      userRiskLevel: 'medium',
      insiderRiskLevel: 'elevated',
    });
    expect(notCheckable({ platform: 'unknown' })).toMatch(/platform/);
  });
  it('device and authentication flow', () => {
    expect(build({}).signInConditions.deviceInfo).toEqual({ isCompliant: false });
    expect(build({ device: { compliant: true, domainJoined: true } }).signInConditions.deviceInfo).toEqual({
      isCompliant: true,
      trustType: 'ServerAd',
    });
    expect(build({}).signInConditions.authenticationFlow).toBeUndefined();
    expect(build({ authenticationFlow: 'deviceCodeFlow' }).signInConditions.authenticationFlow).toEqual({
      transferMethod: 'deviceCodeFlow',
    });
    expect(notCheckable({ deviceFilterMatches: ['device.model -eq "x"'] })).toMatch(/device filter/);
  });
  describe('location', () => {
    const hq = ipLocation('loc-hq', 'HQ', '10.0.0.0/8', true);
    const lab = ipLocation('loc-lab', 'Lab', '10.1.0.0/16', false);
    const eu = countryNamedLocation({ id: 'loc-eu', displayName: 'EU', countries: ['FR', 'BE'] });
    const fr = countryNamedLocation({ id: 'loc-fr', displayName: 'France', countries: ['FR'] });
    const byLocation = policy({
      id: 'p-loc',
      conditions: {
        locations: { includeLocations: ['All'], excludeLocations: ['loc-hq', 'loc-lab', 'loc-eu', 'loc-fr'] },
      },
    });
    const snap = complete([ALICE], [byLocation], {
      [GRAPH_KEYS.namedLocations]: [hq, lab, eu, fr],
    });
    it('an address inside every listed location and outside the others', () => {
      const inHq = build({ locations: ['loc-hq'], trustedLocation: true }, snap).signInConditions.ipAddress!;
      expect(inHq.startsWith('10.')).toBe(true);
      expect(inHq.startsWith('10.1.')).toBe(false);
      const inBoth = build({ locations: ['loc-hq', 'loc-lab'], trustedLocation: true }, snap).signInConditions;
      expect(inBoth.ipAddress!.startsWith('10.1.')).toBe(true);
      const outside = build({ locations: [] }, snap).signInConditions;
      expect(outside.ipAddress!.startsWith('10.')).toBe(false);
      expect(['FR', 'BE']).not.toContain(outside.country);
    });
    it('a country inside the listed country locations and outside the others', () => {
      expect(build({ locations: ['loc-eu'] }, snap).signInConditions.country).toBe('BE');
      expect(build({ locations: ['loc-eu', 'loc-fr'] }, snap).signInConditions.country).toBe('FR');
    });
    it('not constructible: the trusted IPs of the MFA service, a place inside a location but not its container', () => {
      expect(
        notCheckable({ locations: ['00000000-0000-0000-0000-000000000000'], trustedLocation: true }, snap),
      ).toMatch(/trusted IPs/);
      expect(notCheckable({ locations: ['loc-lab'], trustedLocation: false }, snap)).toMatch(/IP address/);
      expect(notCheckable({ locations: ['loc-hq'], trustedLocation: false }, snap)).toMatch(/trusted/);
    });
  });
  it('the key is the canonical JSON: key order does not matter', () => {
    const r = build({});
    const { signInConditions, ...rest } = r;
    const reordered = JSON.parse(JSON.stringify({ signInConditions, ...rest })) as WhatIfRequest;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(r));
    expect(whatIfKey(reordered)).toBe(whatIfKey(r));
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('interpretWhatIf', () => {
  const snap = complete([ALICE], [MFA_ALL, policy({ id: 'p-ro', state: 'enabledForReportingButNotEnforced' })]);
  const { policies } = ctxOf(snap);
  const r = build({}, snap);
  it('a gap: confirmed when no enabled stopper applies, disputed when one does', () => {
    expect(interpretWhatIf(r, { value: [row('p-mfa-all', false)] }, policies).status).toBe('confirmed');
    const d = interpretWhatIf(r, { value: [row('p-mfa-all', true)] }, policies);
    expect(d.status).toBe('disputed');
    expect(d.answer!.stoppers).toEqual(['p-mfa-all']);
    expect(d.reason).toContain('Require MFA for everyone');
    // Report-only policies never count, whatever Entra says of them.
    expect(
      interpretWhatIf(
        r,
        { value: [row('p-mfa-all', false), row('p-ro', true, 'notSet', 'enabledForReportingButNotEnforced')] },
        policies,
      ).status,
    ).toBe('confirmed');
  });
  it('inconclusive: not enough information, an error, a policy missing from the answer, no list', () => {
    expect(interpretWhatIf(r, { value: [row('p-mfa-all', false, 'notEnoughInformation')] }, policies).status).toBe(
      'inconclusive',
    );
    const e = interpretWhatIf(r, { error: { code: 'Forbidden', message: 'no' } }, policies);
    expect(e.status).toBe('inconclusive');
    expect(e.reason).toContain('Forbidden');
    expect(interpretWhatIf(r, { value: [] }, policies).status).toBe('inconclusive');
    expect(interpretWhatIf(r, 'nonsense', policies).status).toBe('inconclusive');
  });
  it('an enabled policy Entra has and the snapshot does not: judged by its grant', () => {
    const extra = { ...row('p-new', true), grantControls: { operator: 'OR', builtInControls: ['mfa'] } };
    expect(interpretWhatIf(r, { value: [row('p-mfa-all', false), extra] }, policies).status).toBe('disputed');
  });
  it('a covered sign-in (spot-check): confirmed when a stopper applies, disputed when none does', () => {
    expect(interpretWhatIf(r, { value: [row('p-mfa-all', true)] }, policies, 'covered').status).toBe('confirmed');
    expect(interpretWhatIf(r, { value: [row('p-mfa-all', false)] }, policies, 'covered').status).toBe('disputed');
  });
});

/** A tenant where many accounts share one gap: excluded from the MFA policy through a group. */
const many = Array.from({ length: 12 }, (_, i) => user(`u-${i}`, `user${String(i).padStart(2, '0')}@contoso.com`));
const EXCLUDING = policy({
  id: 'p-mfa-all',
  name: 'MFA all',
  users: { includeUsers: ['All'], excludeGroups: ['g-ex'] },
});
const BLOCK_LEGACY = policy({
  id: 'p-leg',
  name: 'Block legacy',
  grant: { operator: 'OR', builtInControls: ['block'] },
  conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] },
});
function grouped(extra: Record<string, unknown> = {}): Snapshot {
  return complete([ALICE, ...many], [EXCLUDING, BLOCK_LEGACY], { ...members('g-ex', ...many), ...extra });
}

function withAnswers(snapshot: Snapshot, answer: (r: WhatIfRequest, kind: string) => unknown): Snapshot {
  const plan = planWhatIf(snapshot, OPTS);
  return {
    ...snapshot,
    graph: {
      ...snapshot.graph,
      [GRAPH_KEYS.conditionalAccessEvaluate]: plan.requests.map((p) => ({
        request: p.request,
        response: answer(p.request, p.kind),
      })),
    },
  };
}

describe('planWhatIf: one request per distinct gap, not per account', () => {
  it('twelve accounts with one gap: one gap request, for the first account in report order, speaking for all', () => {
    const plan = planWhatIf(grouped(), OPTS);
    const gaps = plan.requests.filter((r) => r.kind === 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.accounts).toHaveLength(12);
    expect(gaps[0]!.request.signInIdentity.userId).toBe('u-0');
    expect(gaps[0]!.key).toBe(whatIfKey(gaps[0]!.request));
  });
  it('spot-checks of passing signatures, within the budget', () => {
    const plan = planWhatIf(grouped(), OPTS);
    const spot = plan.requests.filter((r) => r.kind === 'spot-check');
    expect(spot.length).toBeGreaterThan(0);
    expect(spot[0]!.accounts).toEqual([ALICE.id]);
    expect(
      planWhatIf(grouped(), { ...OPTS, whatIf: { spotChecks: 0 } }).requests.some((r) => r.kind === 'spot-check'),
    ).toBe(false);
  });
  it('the gap budget: beyond it a gap is not asked, and says so', () => {
    const plan = planWhatIf(grouped(), { ...OPTS, whatIf: { maxGapRequests: 0 } });
    expect(plan.requests.filter((r) => r.kind === 'gap')).toHaveLength(0);
    expect(plan.unasked[0]!.reason).toMatch(/budget/);
  });
});

describe('the engine in steps (what a collection runs between its answers)', () => {
  /** The steps taken, and the value: each step is a `yield`. */
  function drained<T>(steps: Generator<void, T, void>): { steps: number; value: T } {
    let count = 0;
    for (;;) {
      const next = steps.next();
      if (next.done) return { steps: count, value: next.value };
      count++;
    }
  }
  const large = (): Snapshot => {
    const users = Array.from({ length: 1200 }, (_, i) => user(`x-${i}`, `x${i}@contoso.com`));
    return complete([ALICE, ...users, ...many], [EXCLUDING, BLOCK_LEGACY], { ...members('g-ex', ...many) });
  };
  it('plans the same What If requests as planWhatIf, yielding between parts and every few hundred accounts', () => {
    const snapshot = large();
    const { steps, value } = drained(planWhatIfInSteps(snapshot, OPTS));
    expect(value).toEqual(planWhatIf(snapshot, OPTS));
    expect(value.requests.length).toBeGreaterThan(0);
    // The directory's parts, the state, 1,213 accounts by 250, the sort and the plan items: more than ten yields.
    expect(steps).toBeGreaterThan(10);
  });
  it('chooses the same users for per-user MFA state as usersNeedingPerUserMfaState', () => {
    const collected = large();
    // Before per-user states are collected (the choice decides whose to collect).
    const graph = Object.fromEntries(Object.entries(collected.graph).filter(([key]) => !key.startsWith('beta/users/')));
    const snapshot = { ...collected, graph };
    const { steps, value } = drained(usersNeedingPerUserMfaStateInSteps(snapshot, OPTS));
    expect(value).toEqual(usersNeedingPerUserMfaState(snapshot, OPTS));
    expect(value).toHaveLength(many.length);
    expect(steps).toBeGreaterThan(5);
  });
});

describe('applying the answers', () => {
  it('a confirmed gap carries its confirmation; the verdict stays fail', () => {
    const r = audit(
      withAnswers(grouped(), (_, kind) => ({ value: [row('p-mfa-all', kind !== 'gap'), row('p-leg', false)] })),
    );
    const a = account(r, 'user03@contoso.com');
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.confirmation).toMatchObject({ status: 'confirmed' });
    expect(a.gaps[0]!.confirmation!.entra!.stoppers).toEqual([]);
    expect(r.whatIf).toMatchObject({ requests: 1, answered: 1, confirmed: 1, disputed: 0 });
    expect(r.whatIf!.spotChecks.confirmed).toBeGreaterThan(0);
    expect(account(r, ALICE.userPrincipalName!).verdict).toBe('pass');
  });
  it('a disputed gap: every account of the group is unknown, both answers in the reasons, a high finding', () => {
    const r = audit(withAnswers(grouped(), () => ({ value: [row('p-mfa-all', true), row('p-leg', false)] })));
    for (const u of many) {
      const a = account(r, u.userPrincipalName!);
      expect(a.verdict).toBe('unknown');
      expect(a.engineVerdict).toBe('fail');
      expect(a.gaps[0]!.confirmation!.status).toBe('disputed');
      expect(a.reasons.join(' ')).toMatch(
        /mfa-audit and Entra disagree.*mfa-audit: a gap.*Entra: Entra's What If says 'MFA all'/,
      );
    }
    const f = r.findings.find((x) => x.id === 'what-if-disagrees')!;
    expect(f.severity).toBe('high');
    expect(f.accountIds).toHaveLength(12);
    expect(f.policyIds).toEqual(['p-mfa-all']);
    expect(r.summary).toMatchObject({ fail: 0, unknown: 12 });
  });
  it('a pass that Entra contradicts in a spot-check becomes unknown, with a finding; never silently', () => {
    const r = audit(withAnswers(grouped(), () => ({ value: [row('p-mfa-all', false), row('p-leg', false)] })));
    const alice = account(r, ALICE.userPrincipalName!);
    expect(alice.verdict).toBe('unknown');
    expect(alice.engineVerdict).toBe('pass');
    expect(alice.reasons.join(' ')).toMatch(/mfa-audit: covered/);
    expect(r.findings.filter((f) => f.id === 'what-if-disagrees').some((f) => f.accountIds!.includes(ALICE.id!))).toBe(
      true,
    );
    expect(r.whatIf!.spotChecks.disputed).toBeGreaterThan(0);
  });
  it('no answer for a planned request: inconclusive, the verdict unchanged', () => {
    const snap = grouped({ [GRAPH_KEYS.conditionalAccessEvaluate]: [] });
    const r = audit(snap);
    const a = account(r, 'user03@contoso.com');
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.confirmation).toMatchObject({ status: 'inconclusive' });
    expect(r.whatIf).toMatchObject({ answered: 0, inconclusive: 1 });
  });
  it('a gap whose example cannot be put to What If says so', () => {
    const knownPlatforms = policy({
      id: 'p-mfa-all',
      conditions: {
        platforms: { includePlatforms: ['android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux'] },
      },
    });
    const snap = complete([ALICE], [knownPlatforms], { [GRAPH_KEYS.conditionalAccessEvaluate]: [] });
    const r = audit(snap);
    const a = account(r, ALICE.userPrincipalName!);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.platform).toBe('unknown');
    expect(a.gaps[0]!.confirmation).toMatchObject({ status: 'not-checkable' });
    expect(a.gaps[0]!.confirmation!.reason).toMatch(/platform/);
    expect(r.whatIf!.notCheckable).toBe(1);
  });
  it('an offline audit of the saved snapshot reproduces the same report exactly', () => {
    const snap = withAnswers(grouped(), () => ({ value: [row('p-mfa-all', true), row('p-leg', false)] }));
    const copy = JSON.parse(JSON.stringify(snap)) as Snapshot;
    expect(JSON.stringify(audit(copy))).toBe(JSON.stringify(audit(snap)));
  });
  it('absent keys change nothing: no whatIf, no confirmation, no engineVerdict', () => {
    const r = audit(grouped());
    expect(r.whatIf).toBeUndefined();
    expect(r.signIns).toBeUndefined();
    for (const a of r.accounts) {
      expect(a.engineVerdict).toBeUndefined();
      expect(a.evidence).toBeUndefined();
      for (const g of a.gaps) expect(g.confirmation).toBeUndefined();
    }
  });
  it('accounts that share one gap list all get its confirmation', () => {
    const r = audit(withAnswers(complete([ALICE, BOB], []), () => ({ value: [] })));
    expect(account(r, ALICE.userPrincipalName!).verdict).toBe('fail');
    expect(account(r, BOB.userPrincipalName!).gaps[0]!.confirmation!.status).toBe('confirmed');
  });
});
