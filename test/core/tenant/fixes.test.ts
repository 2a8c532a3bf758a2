/**
 * "Fix these first" (src/core/tenant/fixes.ts): each fix is proven by re-running the engine with the change made,
 * claims only the gaps it closes, and lists privileged accounts first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditTenant } from '../../../src/core/tenant/audit.js';
import type { Snapshot } from '../../../src/core/snapshot.js';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import { ALICE, BOB, NOW, audit, complete, ipLocation, members, policy, user, users } from './build.js';

const ADMINS = 'g-admin-agents';
const SERVICE = 'g-service-exclusions';
const CAROL = user('00000000-0000-0000-0000-0000000ca201', 'carol@contoso.com');
const hq = ipLocation('loc-hq', 'HQ', '203.0.113.0/24', true);
const agentGroup = {
  [GRAPH_KEYS.namedLocations]: [hq],
  'v1.0/groups': [
    { id: ADMINS, displayName: 'AdminAgents' },
    { id: SERVICE, displayName: 'SG-Service' },
  ],
};

describe('planFixes', () => {
  it('an exclusion of a group: removing it fixes exactly its members, privileged first', () => {
    const snapshot = complete(
      [ALICE, BOB, CAROL],
      [policy({ id: 'p-mfa', name: 'Require MFA', users: users({ includeUsers: ['All'], excludeGroups: [SERVICE] }) })],
      { ...agentGroup, ...members(SERVICE, BOB, CAROL), ...members(ADMINS, CAROL) },
    );
    const report = audit(snapshot);
    expect(report.fixes).toHaveLength(1);
    const [fix] = report.fixes!;
    expect(fix).toMatchObject({ id: `remove-exclusion:p-mfa:${SERVICE}`, kind: 'remove-exclusion', gapsClosed: 2 });
    expect(fix!.title).toContain("'Require MFA'");
    // Carol is privileged (AdminAgents): first, although bob sorts before her.
    expect(fix!.accountIds).toEqual([CAROL.id, BOB.id]);
    expect(fix!.privileged).toBe(1);
  });

  it('a report-only policy: turning it on is offered when it would close the gap', () => {
    const snapshot = complete(
      [ALICE],
      [policy({ id: 'p-ro', name: 'MFA (pilot)', state: 'enabledForReportingButNotEnforced' })],
    );
    const report = audit(snapshot);
    expect(report.fixes?.map((f) => f.id)).toEqual(['enable-report-only:p-ro']);
    expect(report.fixes![0]!.accountIds).toEqual([ALICE.id]);
  });

  it('claims nothing it does not close: a second exclusion keeps the gap open', () => {
    // Both policies exclude alice; the browser-only one cannot close "any sign-in" on its own, so it is not offered.
    const snapshot = complete(
      [ALICE],
      [
        policy({
          id: 'p-all',
          name: 'MFA everywhere',
          users: users({ includeUsers: ['All'], excludeUsers: [ALICE.id!] }),
        }),
        policy({
          id: 'p-browser',
          name: 'MFA in browsers',
          users: users({ includeUsers: ['All'], excludeUsers: [ALICE.id!] }),
          conditions: { clientAppTypes: ['browser'] },
        }),
      ],
    );
    const report = audit(snapshot);
    const ids = report.fixes?.map((f) => f.id) ?? [];
    expect(ids[0]).toBe(`remove-exclusion:p-all:${ALICE.id}`);
    expect(ids).not.toContain(`remove-exclusion:p-browser:${ALICE.id}`);
  });

  it('never offers to remove an exclusion from a blocking policy (that blocks, it does not bring MFA)', () => {
    const snapshot = complete(
      [ALICE],
      [
        policy({
          id: 'p-block',
          name: 'Block outside HQ',
          grant: { operator: 'OR', builtInControls: ['block'] },
          conditions: { locations: { includeLocations: ['All'], excludeLocations: ['loc-hq'] } },
        }),
      ],
      { [GRAPH_KEYS.namedLocations]: [hq] },
    );
    const report = audit(snapshot);
    expect((report.fixes ?? []).filter((f) => f.policyIds.includes('p-block'))).toEqual([]);
  });

  it('no fixes when every account passes', () => {
    expect(audit(complete([ALICE], [policy({ id: 'p' })])).fixes).toBeUndefined();
  });

  it('a gap that needs two exclusions of one policy removed is claimed by the second', () => {
    // Bob is excluded twice from the one MFA policy (by name and through the group): removing either alone leaves
    // him out, so the group's removal claims Carol only, and removing Bob then claims him.
    const snapshot = complete(
      [BOB, CAROL],
      [
        policy({
          id: 'p-mfa',
          name: 'Require MFA',
          users: users({ includeUsers: ['All'], excludeUsers: [BOB.id!], excludeGroups: [SERVICE] }),
        }),
      ],
      { ...agentGroup, ...members(SERVICE, BOB, CAROL) },
    );
    const fixes = audit(snapshot).fixes ?? [];
    expect(fixes.map((f) => [f.id, f.accountIds])).toEqual([
      [`remove-exclusion:p-mfa:${SERVICE}`, [CAROL.id]],
      [`remove-exclusion:p-mfa:${BOB.id}`, [BOB.id]],
    ]);
  });

  it('a fix made changes what the next one closes on another policy (its accounts are worked out again)', () => {
    // MFA outside HQ for all but the group, MFA at HQ for all but Alice. Dave (in the group) gets through outside HQ
    // only: removing the group closes his gap. Alice (in the group too) gets through everywhere: removing her from
    // the HQ policy closes nothing on its own, and closes her gap once the group is removed.
    const dave = user('00000000-0000-0000-0000-00000000da5e', 'dave@contoso.com');
    const snapshot = complete(
      [ALICE, dave],
      [
        policy({
          id: 'p-b-outside',
          name: 'MFA outside HQ',
          users: users({ includeUsers: ['All'], excludeGroups: [SERVICE] }),
          conditions: { locations: { includeLocations: ['All'], excludeLocations: ['loc-hq'] } },
        }),
        policy({
          id: 'p-a-hq',
          name: 'MFA at HQ',
          users: users({ includeUsers: ['All'], excludeUsers: [ALICE.id!] }),
          conditions: { locations: { includeLocations: ['loc-hq'] } },
        }),
      ],
      { ...agentGroup, ...members(SERVICE, ALICE, dave) },
    );
    const fixes = audit(snapshot).fixes ?? [];
    expect(fixes.map((f) => [f.id, f.accountIds])).toEqual([
      [`remove-exclusion:p-b-outside:${SERVICE}`, [dave.id]],
      [`remove-exclusion:p-a-hq:${ALICE.id}`, [ALICE.id]],
    ]);
  });

  it('the demo tenant: the list, its order, its counts and the accounts of every fix', () => {
    const snapshot = JSON.parse(
      readFileSync(new URL('../../../fixtures/demo-tenant.json', import.meta.url), 'utf8'),
    ) as Snapshot;
    const report = auditTenant(snapshot, { now: NOW, breakGlass: [], serviceAccounts: { patterns: [], upns: [] } });
    const upn = new Map(report.accounts.map((a) => [a.id, a.userPrincipalName.split('@')[0]!]));
    const list = (report.fixes ?? []).map((f) => ({
      title: f.title,
      gapsClosed: f.gapsClosed,
      privileged: f.privileged,
      accounts: f.accountIds.map((id) => upn.get(id)).join(' '),
    }));
    // Privileged accounts first, then in report order; every one of them proven closed by re-running the engine.
    const trusted =
      'miriam.graham nestor.wilke alberto.moreno allan.deyoung cameron.white carlos.slattery debra.berger ' +
      'delia.dennis emily.braun enrico.cattaneo gerhart.moller henrietta.mueller isabella.simonsen lukas.schmidt ' +
      'mona.kane nina.vos rob.young sanne.jansen tom.bakker';
    expect(list).toEqual([
      {
        title: "Turn on 'CA004 - Block legacy authentication' (report-only today: it enforces nothing)",
        gapsClosed: 22,
        privileged: 4,
        accounts: `alex.wilber lynne.robbins ${trusted}`,
      },
      {
        title: "Remove trusted locations (AllTrusted) from the exclusions of 'CA002 - Require MFA for all users'",
        gapsClosed: 20,
        privileged: 3,
        accounts: `alex.wilber ${trusted}`,
      },
      {
        title:
          "Remove group 'SG-CA-Exclusions-ServiceAccounts' from the exclusions of 'CA003 - Require MFA for partner agents'",
        gapsClosed: 1,
        privileged: 1,
        accounts: 'svc-psa-sync',
      },
      {
        title:
          "Remove breakglass01@northwindcloud.onmicrosoft.com from the exclusions of 'CA001 - Require MFA for administrators'",
        gapsClosed: 1,
        privileged: 1,
        accounts: 'breakglass01',
      },
      {
        title:
          "Remove group 'SG-CA-Exclusions-Tailspin-ADFS' from the exclusions of 'CA002 - Require MFA for all users'",
        gapsClosed: 4,
        privileged: 0,
        accounts: 'anouk.meijer bas.dekker fleur.visser joost.smit',
      },
    ]);
  });
});
