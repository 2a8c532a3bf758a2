/**
 * Gap matching by property: random small tenants, random edits of their policies, and a naive reference that
 * decides ONE concrete sign-in the way Entra does (an enabled policy that applies and demands MFA or blocks stops
 * it). Three properties:
 *  1. every gap `plan` reports opened, unless marked undecided, gets through in the proposed state and was covered
 *     in the baseline, for every account it names;
 *  2. nothing is missed: when some concrete sign-in of an account was covered and now gets through, the account is
 *     among the gaps opened;
 *  3. a pure tightening (an enabled policy that requires MFA or blocks, added) never opens a gap.
 * The reference shares no code with the engine. Locations are disjoint IP ranges; apps carry their app groups.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import { planChange } from '../../../src/core/plan/run.js';
import type { ChangeReport } from '../../../src/core/plan/types.js';
import type { SignInExample } from '../../../src/core/tenant/types.js';
import { complete, ipLocation, members, NOW, user } from '../tenant/build.js';

const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
const AZURE_PORTAL = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
const APPS = [
  { appId: EXCHANGE, office365: true, adminPortal: false },
  { appId: AZURE_PORTAL, office365: false, adminPortal: true },
  { appId: GRAPH_APP, office365: false, adminPortal: false },
  { appId: 'another-office-app', office365: true, adminPortal: false },
  { appId: 'another-admin-portal', office365: false, adminPortal: true },
  { appId: 'another-app', office365: false, adminPortal: false },
];
const CLIENTS = ['browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'] as const;
const PLATFORMS = ['windows', 'iOS'] as const;
const PLACES: { ids: string[]; trusted: boolean }[] = [
  { ids: [], trusted: false },
  { ids: ['loc-hq'], trusted: true },
  { ids: ['loc-branch'], trusted: false },
];
const GROUPS = ['g-1', 'g-2'];

interface SignIn {
  app: (typeof APPS)[number];
  client: string;
  platform: string;
  place: (typeof PLACES)[number];
}
const SIGN_INS: SignIn[] = APPS.flatMap((app) =>
  CLIENTS.flatMap((client) =>
    PLATFORMS.flatMap((platform) => PLACES.map((place) => ({ app, client, platform, place }))),
  ),
);

interface World {
  users: { id: string; groups: string[] }[];
  policies: G.ConditionalAccessPolicy[];
}

// ---------- the reference ----------

function applies(p: G.ConditionalAccessPolicy, u: World['users'][number], s: SignIn): boolean {
  if (p.state !== 'enabled') return false;
  const c = p.conditions!;
  const who = c.users!;
  const included =
    (who.includeUsers ?? []).includes('All') || (who.includeGroups ?? []).some((g) => u.groups.includes(g));
  if (!included || (who.excludeGroups ?? []).some((g) => u.groups.includes(g))) return false;
  const appIs = (list: string[]) =>
    list.includes(s.app.appId) ||
    (s.app.office365 && list.includes('Office365')) ||
    (s.app.adminPortal && list.includes('MicrosoftAdminPortals'));
  const apps = c.applications!;
  if (!((apps.includeApplications ?? []).includes('All') || appIs(apps.includeApplications ?? []))) return false;
  if (appIs(apps.excludeApplications ?? [])) return false;
  const clients = (c.clientAppTypes ?? []) as string[];
  if (clients.length > 0 && !clients.includes('all') && !clients.includes(s.client)) return false;
  if (c.platforms) {
    const inc = (c.platforms.includePlatforms ?? []) as string[];
    if (!inc.includes('all') && !inc.includes(s.platform)) return false;
    if (((c.platforms.excludePlatforms ?? []) as string[]).includes(s.platform)) return false;
  }
  if (c.locations) {
    const at = (list: string[]) =>
      list.includes('All') ||
      (s.place.trusted && list.includes('AllTrusted')) ||
      s.place.ids.some((id) => list.includes(id));
    if (!at(c.locations.includeLocations ?? [])) return false;
    if (at((c.locations.excludeLocations ?? []).filter((x) => x !== 'All'))) return false;
  }
  return true;
}

function stops(p: G.ConditionalAccessPolicy): boolean {
  const controls = (p.grantControls?.builtInControls ?? []) as string[];
  if (controls.includes('block')) return true;
  return p.grantControls?.operator === 'AND'
    ? controls.includes('mfa')
    : controls.length > 0 && controls.every((c) => c === 'mfa');
}

function covered(w: World, u: World['users'][number], s: SignIn): boolean {
  return w.policies.some((p) => stops(p) && applies(p, u, s));
}

/** The concrete sign-in an example stands for: the reference's app of that id (or of those app groups, unnamed). */
function signInOf(e: SignInExample): SignIn {
  const app =
    APPS.find((a) => a.appId === e.application.appId) ??
    APPS.find(
      (a) =>
        a.appId.startsWith('another') &&
        a.office365 === e.application.office365 &&
        a.adminPortal === e.application.adminPortal,
    )!;
  const place = PLACES.find((p) => JSON.stringify(p.ids) === JSON.stringify([...e.locations].sort()))!;
  return { app, client: e.clientAppType, platform: e.platform, place };
}

// ---------- generators ----------

const sub = <T>(items: readonly T[]) => fc.subarray([...items]);
const mostly = <T>(plain: T, other: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(plain), weight: 4 }, { arbitrary: other, weight: 1 });

function policyArb(enabledStopper: boolean): fc.Arbitrary<G.ConditionalAccessPolicy> {
  return fc
    .record({
      state: enabledStopper
        ? fc.constant('enabled')
        : fc.constantFrom('enabled', 'enabled', 'enabledForReportingButNotEnforced'),
      includeGroups: mostly<string[]>([], sub(GROUPS)),
      excludeGroups: mostly<string[]>([], sub(GROUPS)),
      includeApps: mostly<string[]>(['All'], sub(['Office365', 'MicrosoftAdminPortals', GRAPH_APP])),
      excludeApps: mostly<string[]>([], sub(['Office365', GRAPH_APP])),
      clients: mostly<string[]>(['all'], sub(CLIENTS)),
      platforms: mostly<string[] | null>(null, fc.subarray([...PLATFORMS], { minLength: 1 })),
      locations: mostly<{ include: string[]; exclude: string[] } | null>(
        null,
        fc.record({
          include: fc.constantFrom(['All'], ['loc-branch']),
          exclude: fc.constantFrom([], ['loc-hq'], ['AllTrusted']),
        }),
      ),
      grant: enabledStopper
        ? fc.constantFrom(['mfa'], ['block'])
        : fc.constantFrom(['mfa'], ['mfa'], ['block'], ['compliantDevice'], ['mfa', 'compliantDevice']),
    })
    .map(
      (p) =>
        ({
          displayName: 'policy',
          state: p.state as G.ConditionalAccessPolicyState,
          conditions: {
            users: {
              includeUsers: p.includeGroups.length ? [] : ['All'],
              excludeUsers: [],
              includeGroups: p.includeGroups,
              excludeGroups: p.excludeGroups,
              includeRoles: [],
              excludeRoles: [],
            },
            applications: { includeApplications: p.includeApps, excludeApplications: p.excludeApps },
            clientAppTypes: p.clients as G.ConditionalAccessClientApp[],
            platforms: p.platforms
              ? { includePlatforms: p.platforms as G.ConditionalAccessDevicePlatform[], excludePlatforms: [] }
              : null,
            locations: p.locations
              ? { includeLocations: p.locations.include, excludeLocations: p.locations.exclude }
              : null,
          },
          grantControls: { operator: 'OR', builtInControls: [...p.grant] as G.ConditionalAccessGrantControl[] },
        }) satisfies G.ConditionalAccessPolicy,
    );
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    users: fc.array(sub(GROUPS), { minLength: 1, maxLength: 3 }),
    policies: fc.array(policyArb(false), { minLength: 1, maxLength: 4 }),
  })
  .map(({ users, policies }) => ({
    users: users.map((groups, i) => ({ id: `00000000-0000-4000-8000-00000000000${i}`, groups })),
    policies: policies.map((p, i) => ({ ...p, id: `p${i}`, displayName: `Policy ${i}` })),
  }));

function snapshotOf(w: World) {
  const graphUsers = w.users.map((u, i) => user(u.id, `user${i}@contoso.com`));
  const graph: Record<string, unknown> = {
    [GRAPH_KEYS.namedLocations]: [
      ipLocation('loc-hq', 'HQ', '10.0.0.0/16', true),
      ipLocation('loc-branch', 'Branch', '10.1.0.0/16', false),
    ],
  };
  for (const g of GROUPS)
    Object.assign(graph, members(g, ...graphUsers.filter((_, i) => w.users[i]!.groups.includes(g))));
  return complete(graphUsers, w.policies, graph);
}

const OPTIONS = { now: NOW, breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };

function planOf(w: World, edited: World, removed: string[]): ChangeReport {
  const kept = new Set(w.policies.map((p) => JSON.stringify(p)));
  const objects = edited.policies
    .filter((p) => !kept.has(JSON.stringify(p)))
    .map((value) => ({ kind: 'policy' as const, value: value as Record<string, unknown> }));
  return planChange(snapshotOf(w), { objects, remove: removed }, OPTIONS, 'world').result.change;
}

/** Properties 1 and 2 for one plan. */
function checkOpened(w: World, edited: World, change: ChangeReport): void {
  const byId = new Map(w.users.map((u) => [u.id, u]));
  for (const g of change.gapsOpened) {
    if (g.undecided || g.possible) continue;
    const s = signInOf(g.example!);
    for (const a of g.accounts) {
      const u = byId.get(a.id)!;
      expect(covered(edited, u, s), `opened gap gets through now: ${g.description}`).toBe(false);
      expect(covered(w, u, s), `opened gap was covered before: ${g.description}`).toBe(true);
    }
  }
  const opened = new Set(change.gapsOpened.flatMap((g) => g.accounts.map((a) => a.id)));
  for (const u of w.users) {
    const lost = SIGN_INS.find((s) => covered(w, u, s) && !covered(edited, u, s));
    if (lost) expect(opened.has(u.id), `${u.id} lost ${JSON.stringify(lost)}`).toBe(true);
  }
}

describe('gap matching (property)', () => {
  it('opened gaps are real (or undecided), and no lost coverage is missed', { timeout: 300_000 }, () => {
    const edit = fc.record({
      removed: fc.array(fc.nat(), { maxLength: 1 }),
      replaced: fc.array(fc.tuple(fc.nat(), policyArb(false)), { maxLength: 2 }),
      added: fc.array(policyArb(false), { maxLength: 1 }),
    });
    fc.assert(
      fc.property(worldArb, edit, (w, e) => {
        const pick = (n: number) => w.policies[n % w.policies.length]!;
        const removed = [...new Set(e.removed.map((n) => pick(n).id!))];
        const replaced = new Map(
          e.replaced.map(([n, p]) => [pick(n).id!, { ...p, id: pick(n).id, displayName: pick(n).displayName }]),
        );
        const edited: World = {
          ...w,
          policies: [
            ...w.policies.filter((p) => !removed.includes(p.id!)).map((p) => replaced.get(p.id!) ?? p),
            ...e.added.map((p, i) => ({ ...p, id: `added-${i}`, displayName: `Added ${i}` })),
          ],
        };
        checkOpened(w, edited, planOf(w, edited, removed));
      }),
      { numRuns: Number(process.env.MFA_PROPERTY_RUNS ?? 300) },
    );
  });

  it('adding an enabled policy that requires MFA or blocks never opens a gap', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(worldArb, policyArb(true), (w, p) => {
        const edited: World = { ...w, policies: [...w.policies, { ...p, id: 'added', displayName: 'Added' }] };
        const change = planOf(w, edited, []);
        expect(change.gapsOpened, JSON.stringify(change.gapsOpened)).toEqual([]);
      }),
      { numRuns: Number(process.env.MFA_PROPERTY_RUNS ?? 300) },
    );
  });
});
