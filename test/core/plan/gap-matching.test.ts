/**
 * How `plan` and `diff` match gaps between two states: by whether a gap's sign-in was covered on the other side, not
 * by its words. A change that only tightens coverage opens no gap (exit 0); one that lets a covered sign-in through
 * opens one (exit 1) even when no verdict changes; what cannot be decided counts as opened and says so.
 */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import type { Snapshot } from '../../../src/core/snapshot.js';
import { planChange } from '../../../src/core/plan/run.js';
import { diffStates } from '../../../src/core/plan/diff.js';
import { changeExitCode } from '../../../src/core/plan/gate.js';
import type { ChangeReport, ProposedObject } from '../../../src/core/plan/types.js';
import { audit, complete, ipLocation, members, NOW, policy, user, users } from '../tenant/build.js';

const SERVICE = 'a1b2c3d4-0000-4000-8000-00000000005e';
const CONTRACTORS = 'a1b2c3d4-0000-4000-8000-0000000000c0';
const HQ = 'f0e0d0c0-0000-4000-8000-0000000000a0';

/** In both exclusion groups: every policy below leaves her out. */
const ALICE = user('00000000-0000-4000-8000-00000000a11c', 'alice@contoso.com');
const BOB = user('00000000-0000-4000-8000-000000000b0b', 'bob@contoso.com');
const CAROL = user('00000000-0000-4000-8000-00000000ca01', 'carol@contoso.com');

const MFA_OUTSIDE_HQ = policy({
  id: 'ca-mfa-all',
  name: 'Require MFA outside HQ',
  users: users({ includeUsers: ['All'], excludeGroups: [SERVICE] }),
  conditions: { locations: { includeLocations: ['All'], excludeLocations: [HQ] } },
});

const REPORT_ONLY_MFA = policy({
  id: 'ca-mfa-report-only',
  name: 'Require MFA everywhere (report-only)',
  state: 'enabledForReportingButNotEnforced',
  users: users({ includeUsers: ['All'], excludeGroups: [CONTRACTORS] }),
});

function baseline(): Snapshot {
  return complete([ALICE, BOB, CAROL], [MFA_OUTSIDE_HQ, REPORT_ONLY_MFA], {
    [GRAPH_KEYS.namedLocations]: [ipLocation(HQ, 'HQ', '10.0.0.0/16', true)],
    ...members(SERVICE, ALICE),
    ...members(CONTRACTORS, ALICE, CAROL),
  });
}

const OPTIONS = { now: NOW, breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };

function plan(objects: G.Entity[], remove: string[] = [], kind: ProposedObject['kind'] = 'policy'): ChangeReport {
  const outcome = planChange(
    baseline(),
    { objects: objects.map((value) => ({ kind, value: value as Record<string, unknown> })), remove },
    OPTIONS,
    'baseline',
  );
  return outcome.result.change;
}

const upns = (change: ChangeReport, list: 'gapsOpened' | 'gapsClosed') =>
  [...new Set(change[list].flatMap((g) => g.accounts.map((a) => a.userPrincipalName)))].sort();

describe('gaps matched by their sign-in', () => {
  it('enabling a report-only MFA policy that has exclusions opens no gap (exit 0)', () => {
    const change = plan([{ ...REPORT_ONLY_MFA, state: 'enabled' } as G.ConditionalAccessPolicy]);
    // Alice's and Carol's gaps now also name the policy's exclusion: reworded, not new.
    expect(change.gapsOpened).toEqual([]);
    expect(changeExitCode(change)).toBe(0);
    expect(change.verdictChanges.map((c) => `${c.userPrincipalName}: ${c.from} → ${c.to}`)).toEqual([
      'bob@contoso.com: fail → pass',
    ]);
    expect(upns(change, 'gapsClosed')).toEqual(['bob@contoso.com']);
    expect(change.summary.regression).toBe(false);
  });

  it('adding an unrelated MFA policy opens no gap, though the gaps it narrows are reworded (exit 0)', () => {
    const office = policy({
      id: 'ca-mfa-office',
      name: 'Require MFA for Office 365',
      applications: { includeApplications: ['Office365'], excludeApplications: [], includeUserActions: [] },
      users: users({ includeUsers: ['All'] }),
    });
    const change = plan([office]);
    expect(change.gapsOpened).toEqual([]);
    expect(changeExitCode(change)).toBe(0);
  });

  it('adding an exclusion group to an MFA policy opens the gaps of its members (exit 1) with no verdict change', () => {
    const widened = policy({
      ...MFA_OUTSIDE_HQ,
      id: 'ca-mfa-all',
      name: 'Require MFA outside HQ',
      users: users({ includeUsers: ['All'], excludeGroups: [SERVICE, CONTRACTORS] }),
      conditions: { locations: { includeLocations: ['All'], excludeLocations: [HQ] } },
    });
    const change = plan([widened]);
    // Carol failed before (from HQ) and fails after: only the gap says that more now gets through.
    expect(change.verdictChanges).toEqual([]);
    expect(upns(change, 'gapsOpened')).toEqual(['carol@contoso.com']);
    expect(change.gapsOpened.every((g) => g.undecided === undefined)).toBe(true);
    expect(changeExitCode(change)).toBe(1);
  });

  it('removing the policy finds the sign-ins it covered even when the listed gaps do not show them (exit 1)', () => {
    const change = plan([], ['ca-mfa-all']);
    expect(upns(change, 'gapsOpened')).toEqual(['bob@contoso.com', 'carol@contoso.com']);
    expect(changeExitCode(change)).toBe(1);
  });

  it('a named location changed: whether a gap is new cannot be decided, counts as opened and says so', () => {
    const moved = ipLocation(HQ, 'HQ', '10.0.0.0/8', true);
    const change = plan([moved], [], 'namedLocation');
    expect(change.gapsOpened.length).toBeGreaterThan(0);
    expect(change.gapsOpened.every((g) => g.undecided?.includes('fail closed'))).toBe(true);
    expect(change.notes.join(' ')).toMatch(/counted as opened because mfa-audit cannot tell/);
    expect(changeExitCode(change)).toBe(1);
  });

  it('diff of two snapshots matches gaps by sign-in; diff of two reports by exclusions, and says so', () => {
    const after = complete([ALICE, BOB, CAROL], [MFA_OUTSIDE_HQ, { ...REPORT_ONLY_MFA, state: 'enabled' }], {
      [GRAPH_KEYS.namedLocations]: [ipLocation(HQ, 'HQ', '10.0.0.0/16', true)],
      ...members(SERVICE, ALICE),
      ...members(CONTRACTORS, ALICE, CAROL),
    });
    const snapshots = diffStates(
      { kind: 'snapshot', snapshot: baseline(), label: 'old' },
      { kind: 'snapshot', snapshot: after, label: 'new' },
      OPTIONS,
    );
    expect(snapshots.gapsOpened).toEqual([]);
    expect(changeExitCode(snapshots)).toBe(0);
    const reports = diffStates(
      { kind: 'report', report: audit(baseline()), label: 'old' },
      { kind: 'report', report: audit(after), label: 'new' },
      OPTIONS,
    );
    expect(reports.notes.join(' ')).toMatch(/Gaps are matched by the policies whose exclusions open them/);
    expect(upns(reports, 'gapsOpened')).toEqual(['alice@contoso.com', 'carol@contoso.com']);
  });
});
