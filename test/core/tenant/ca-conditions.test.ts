/** evaluation.md §4: every condition and grant rule of Conditional Access, one account, one policy set. */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import { ALICE, MFA_ALL, ipLocation, policy, verdictOf } from './build.js';

const BLOCK = { operator: 'OR', builtInControls: ['block'] } satisfies G.ConditionalAccessGrantControls;
const legacyBlock = policy({
  id: 'p-legacy',
  name: 'Block legacy',
  grant: BLOCK,
  conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] },
});

describe('policy state', () => {
  it('an enabled all-users all-apps MFA policy passes, naming the mechanism and the policy', () => {
    const a = verdictOf([MFA_ALL]);
    expect(a.verdict).toBe('pass');
    expect(a.mechanisms).toEqual(['conditional-access']);
    expect(a.reasons.join(' ')).toContain('Require MFA for everyone');
  });
  it.each(['enabledForReportingButNotEnforced', 'disabled'] as const)('a %s policy never counts', (state) => {
    const a = verdictOf([policy({ id: 'p', state })]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain('no enabled Conditional Access policy');
  });
  it('zero policies: fail with a gap that says no policy applies', () => {
    const a = verdictOf([]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps).toHaveLength(1);
  });
});

describe('grant controls', () => {
  const grant = (g: G.ConditionalAccessGrantControls) => verdictOf([policy({ id: 'p', name: 'P', grant: g })]);
  it('mfa OR compliantDevice can be met without MFA', () => {
    const a = grant({ operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] });
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain('compliantDevice');
    expect(a.gaps[0]!.policyIds).toEqual(['p']);
  });
  it('mfa AND compliantDevice requires MFA', () => {
    expect(grant({ operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] }).verdict).toBe('pass');
  });
  it.each(['domainJoinedDevice', 'approvedApplication', 'compliantApplication', 'passwordChange'])(
    'mfa OR %s is satisfiable without MFA',
    (c) => {
      expect(grant({ operator: 'OR', builtInControls: ['mfa', c as G.ConditionalAccessGrantControl] }).verdict).toBe(
        'fail',
      );
    },
  );
  it.each(['unknownFutureValue', 'verifiedID'])(
    'mfa OR %s (a control mfa-audit does not model) is unknown, naming the control',
    (c) => {
      const a = grant({ operator: 'OR', builtInControls: ['mfa', c as G.ConditionalAccessGrantControl] });
      expect(a.verdict).toBe('unknown');
      expect(a.reasons.join(' ')).toContain(`builtInControls has '${c}'`);
    },
  );
  it('an unknown control alone may or may not be MFA: unknown; beside a non-MFA alternative the gap exists either way', () => {
    expect(grant({ operator: 'AND', builtInControls: ['unknownFutureValue'] }).verdict).toBe('unknown');
    expect(grant({ operator: 'OR', builtInControls: ['compliantDevice', 'unknownFutureValue'] }).verdict).toBe('fail');
  });
  it('block stops the sign-in (compliant)', () => {
    expect(grant(BLOCK).verdict).toBe('pass');
  });
  it('a grant with no controls, or no grant at all, requires nothing', () => {
    expect(grant({ operator: 'OR', builtInControls: [] }).verdict).toBe('fail');
    expect(verdictOf([policy({ id: 'p', grant: null })]).verdict).toBe('fail');
  });
  it('custom controls put no MFA claim in the token', () => {
    expect(grant({ operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: ['Duo'] }).verdict).toBe(
      'fail',
    );
    expect(grant({ operator: 'AND', builtInControls: ['mfa'], customAuthenticationFactors: ['Duo'] }).verdict).toBe(
      'pass',
    );
  });
  it('terms of use can be met without MFA', () => {
    expect(grant({ operator: 'OR', builtInControls: ['mfa'], termsOfUse: ['tou-1'] }).verdict).toBe('fail');
  });
});

describe('authentication strength', () => {
  const withStrength = (s: Partial<G.AuthenticationStrengthPolicy>, list?: G.AuthenticationStrengthPolicy[]) =>
    verdictOf([policy({ id: 'p', grant: { operator: 'OR', builtInControls: [], authenticationStrength: s } })], {
      [GRAPH_KEYS.authenticationStrengthPolicies]: list,
    });
  it('built-in strengths are MFA-only, by id, even when the list was not collected', () => {
    for (const id of [
      '00000000-0000-0000-0000-000000000002',
      '00000000-0000-0000-0000-000000000003',
      '00000000-0000-0000-0000-000000000004',
    ]) {
      expect(withStrength({ id }, undefined).verdict).toBe('pass');
    }
  });
  it('a custom strength counts only if every allowed combination is multi-factor', () => {
    const mfaOnly = {
      id: 'c1',
      displayName: 'Custom MFA',
      policyType: 'custom',
      allowedCombinations: ['password,sms', 'fido2'],
    } as G.AuthenticationStrengthPolicy;
    expect(withStrength({ id: 'c1' }, [mfaOnly]).verdict).toBe('pass');
    const weak = { ...mfaOnly, allowedCombinations: ['password,sms', 'sms'] } as G.AuthenticationStrengthPolicy;
    const a = withStrength({ id: 'c1' }, [weak]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain("single-factor 'sms'");
  });
  it('a combination with a method mfa-audit does not model is unknown, naming it', () => {
    const odd = {
      id: 'c2',
      displayName: 'Odd',
      allowedCombinations: ['password,qrCodePin'],
    } as unknown as G.AuthenticationStrengthPolicy;
    const a = withStrength({ id: 'c2' }, [odd]);
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain("'password,qrCodePin'");
  });
  it('a strength missing from the collected list and not built in is unknown', () => {
    const a = withStrength({ id: 'c3' }, undefined);
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('Policy.Read.All');
  });
});

describe('applications', () => {
  it('a policy on Office 365 only leaves other apps open', () => {
    const a = verdictOf([policy({ id: 'p', name: 'O365 MFA', applications: { includeApplications: ['Office365'] } })]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain('any other app');
    expect(a.gaps[0]!.example!.application.office365).toBe(false);
  });
  it('excludeApplications opens a gap for the excluded app', () => {
    const app = 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd';
    const a = verdictOf([
      policy({ id: 'p', name: 'MFA', applications: { includeApplications: ['All'], excludeApplications: [app] } }),
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain(`excludes app ${app}`);
    expect(a.gaps[0]!.example!.application.appId).toBe(app);
  });
  it('excluding Office365 leaves Office 365 open; a second policy on Office 365 closes it', () => {
    const p1 = policy({ id: 'p1', applications: { includeApplications: ['All'], excludeApplications: ['Office365'] } });
    expect(verdictOf([p1]).verdict).toBe('fail');
    expect(verdictOf([p1, policy({ id: 'p2', applications: { includeApplications: ['Office365'] } })]).verdict).toBe(
      'pass',
    );
  });
  it('MicrosoftAdminPortals alone covers only the portals', () => {
    const a = verdictOf([policy({ id: 'p', applications: { includeApplications: ['MicrosoftAdminPortals'] } })]);
    expect(a.verdict).toBe('fail');
  });
  it('user actions and authentication contexts are not sign-ins to apps', () => {
    expect(
      verdictOf([
        policy({
          id: 'p',
          applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
        }),
      ]).verdict,
    ).toBe('fail');
    expect(
      verdictOf([
        policy({
          id: 'p',
          applications: { includeApplications: [], includeAuthenticationContextClassReferences: ['c1'] },
        }),
      ]).verdict,
    ).toBe('fail');
    expect(verdictOf([policy({ id: 'p', applications: { includeApplications: ['None'] } })]).verdict).toBe('fail');
  });
  it('an app not known to belong to Office 365 makes a gap that depends on it unknown, never pass', () => {
    const app = '11111111-2222-3333-4444-555555555555';
    const a = verdictOf([
      policy({ id: 'p1', applications: { includeApplications: ['All'], excludeApplications: ['Office365'] } }),
      policy({ id: 'p2', applications: { includeApplications: ['Office365'], excludeApplications: [app] } }),
    ]);
    // If the app is in Office 365, p1 excludes it and p2 excludes it: a gap; otherwise p1 covers it.
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain(app);
  });
  it('an application filter (include mode) covers only matching apps', () => {
    const a = verdictOf([
      policy({
        id: 'p',
        applications: {
          includeApplications: [],
          applicationFilter: { mode: 'include', rule: 'CustomSecurityAttribute.x -eq "y"' },
        },
      }),
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.applicationFilterMatches).toEqual([]);
  });
});

describe('client app types', () => {
  it('browser and mobile/desktop policies without a legacy block leave legacy clients... blocked by MFA (they cannot do MFA)', () => {
    const p = policy({ id: 'p', conditions: { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] } });
    const a = verdictOf([p]);
    expect(a.verdict).toBe('fail');
    expect(['exchangeActiveSync', 'other']).toContain(a.gaps[0]!.example!.clientAppType);
    expect(verdictOf([p, legacyBlock]).verdict).toBe('pass');
  });
  it('an MFA policy on legacy clients blocks them (legacy clients cannot do MFA): compliant', () => {
    const legacyMfa = policy({ id: 'p-l', conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] } });
    const modern = policy({ id: 'p-m', conditions: { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] } });
    expect(verdictOf([legacyMfa, modern]).verdict).toBe('pass');
  });
  it('only browser covered: mobile and desktop apps get through', () => {
    const a = verdictOf([policy({ id: 'p', conditions: { clientAppTypes: ['browser'] } }), legacyBlock]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.clientAppType).toBe('mobileAppsAndDesktopClients');
  });
  it('easSupported is Exchange ActiveSync on supported platforms only: EAS elsewhere stays open', () => {
    const p = policy({ id: 'p', grant: BLOCK, conditions: { clientAppTypes: ['easSupported', 'other'] } });
    const a = verdictOf([
      policy({ id: 'm', conditions: { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] } }),
      p,
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.clientAppType).toBe('exchangeActiveSync');
    expect(a.gaps[0]!.example!.easSupportedPlatform).toBe(false);
    const both = policy({
      id: 'p2',
      grant: BLOCK,
      conditions: { clientAppTypes: ['easSupported', 'easUnsupported' as G.ConditionalAccessClientApp, 'other'] },
    });
    expect(
      verdictOf([policy({ id: 'm', conditions: { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] } }), both])
        .verdict,
    ).toBe('pass');
  });
});

describe('platforms', () => {
  it('a policy for some platforms leaves the others (and unrecognised platforms) open', () => {
    const a = verdictOf([policy({ id: 'p', conditions: { platforms: { includePlatforms: ['windows', 'macOS'] } } })]);
    expect(a.verdict).toBe('fail');
    expect(['iOS', 'android', 'linux', 'windowsPhone', 'unknown']).toContain(a.gaps[0]!.example!.platform);
  });
  it('include all with an excluded platform opens that platform', () => {
    const a = verdictOf([
      policy({
        id: 'p',
        name: 'P',
        conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: ['iOS'] } },
      }),
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.platform).toBe('iOS');
    expect(a.gaps[0]!.description).toContain('excludes platform iOS');
  });
  it('every named platform listed still misses unrecognised ones; "all" covers them', () => {
    const named = [
      'android',
      'iOS',
      'windows',
      'windowsPhone',
      'macOS',
      'linux',
    ] as G.ConditionalAccessDevicePlatform[];
    const a = verdictOf([policy({ id: 'p', conditions: { platforms: { includePlatforms: named } } })]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.platform).toBe('unknown');
    expect(verdictOf([policy({ id: 'p', conditions: { platforms: { includePlatforms: ['all'] } } })]).verdict).toBe(
      'pass',
    );
  });
});

describe('locations', () => {
  const hq = ipLocation('loc-hq', 'HQ', '203.0.113.0/24', true);
  const branch = ipLocation('loc-branch', 'Branch', '198.51.100.0/24', false);
  const locations = { [GRAPH_KEYS.namedLocations]: [hq, branch] };
  it('excluding AllTrusted opens the trusted locations', () => {
    const a = verdictOf(
      [
        policy({
          id: 'p',
          name: 'Require MFA',
          conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } },
        }),
      ],
      locations,
    );
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain("trusted location 'HQ'");
    expect(a.gaps[0]!.description).toContain("policy 'Require MFA' excludes AllTrusted");
    expect(a.gaps[0]!.example!.trustedLocation).toBe(true);
  });
  it('an IP location whose isTrusted was not collected may be trusted: an AllTrusted exclusion is then unknown, not pass', () => {
    const { isTrusted: _dropped, ...noTrust } = hq;
    const a = verdictOf(
      [policy({ id: 'p', conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } } })],
      {
        [GRAPH_KEYS.namedLocations]: [noTrust],
      },
    );
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('is trusted is not in the snapshot');
  });
  it('excluding a named location opens it', () => {
    const a = verdictOf(
      [policy({ id: 'p', conditions: { locations: { includeLocations: ['All'], excludeLocations: ['loc-branch'] } } })],
      locations,
    );
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.locations).toEqual(['loc-branch']);
  });
  it('a policy only for some locations leaves "anywhere else" open', () => {
    const a = verdictOf(
      [policy({ id: 'p', conditions: { locations: { includeLocations: ['loc-branch'] } } })],
      locations,
    );
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.locations).toEqual([]);
  });
  it('AllTrusted with no trusted named location still leaves the MFA trusted IPs possibly open: unknown', () => {
    const a = verdictOf(
      [policy({ id: 'p', conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } } })],
      {
        [GRAPH_KEYS.namedLocations]: [branch],
      },
    );
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('trusted IPs');
  });
  it('overlapping IP locations: a sign-in inside both can escape two exclusions', () => {
    const a1 = ipLocation('a', 'A', '10.0.0.0/16', false);
    const a2 = ipLocation('b', 'B', '10.0.1.0/24', false);
    const p1 = policy({ id: 'p1', conditions: { locations: { includeLocations: ['All'], excludeLocations: ['a'] } } });
    const p2 = policy({ id: 'p2', conditions: { locations: { includeLocations: ['All'], excludeLocations: ['b'] } } });
    const a = verdictOf([p1, p2], { [GRAPH_KEYS.namedLocations]: [a1, a2] });
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.locations.sort()).toEqual(['a', 'b']);
    // Disjoint ranges: no sign-in is in both, so the two policies cover each other.
    const b2 = ipLocation('b', 'B', '10.1.0.0/24', false);
    expect(verdictOf([p1, p2], { [GRAPH_KEYS.namedLocations]: [a1, b2] }).verdict).toBe('pass');
  });
  it('named locations not collected: a location-scoped policy cannot prove a pass', () => {
    const a = verdictOf(
      [
        policy({
          id: 'p1',
          conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } },
        }),
        policy({ id: 'p2', conditions: { locations: { includeLocations: ['loc-hq'] } } }),
      ],
      { [GRAPH_KEYS.namedLocations]: undefined },
    );
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('named locations were not collected');
  });
  it('one location both excluded by one policy and included by another is covered (no data needed)', () => {
    const a = verdictOf(
      [
        policy({ id: 'p1', conditions: { locations: { includeLocations: ['All'], excludeLocations: ['loc-hq'] } } }),
        policy({ id: 'p2', conditions: { locations: { includeLocations: ['loc-hq'] } } }),
      ],
      { [GRAPH_KEYS.namedLocations]: undefined },
    );
    expect(a.verdict).toBe('pass');
  });
});

describe('risk levels', () => {
  it.each([
    ['signInRiskLevels', 'signInRisk'],
    ['userRiskLevels', 'userRisk'],
  ] as const)('a policy scoped by %s covers only those levels', (field, dim) => {
    const a = verdictOf([policy({ id: 'p', conditions: { [field]: ['high', 'medium'] } })]);
    expect(a.verdict).toBe('fail');
    expect(['none', 'low']).toContain(a.gaps[0]!.example![dim]);
    const all = verdictOf([policy({ id: 'p', conditions: { [field]: ['none', 'low', 'medium', 'high'] } })]);
    expect(all.verdict).toBe('pass');
  });
  it('insider risk (a flags string) scopes too', () => {
    const a = verdictOf([policy({ id: 'p', conditions: { insiderRiskLevels: 'elevated' } })]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.insiderRisk).not.toBe('elevated');
  });
});

describe('device filters and device state', () => {
  const rule = 'device.trustType -eq "ServerAD"';
  it('include mode covers only matching devices', () => {
    const a = verdictOf([policy({ id: 'p', conditions: { devices: { deviceFilter: { mode: 'include', rule } } } })]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.deviceFilterMatches).toEqual([]);
  });
  it('exclude mode leaves matching devices open', () => {
    const a = verdictOf([policy({ id: 'p', conditions: { devices: { deviceFilter: { mode: 'exclude', rule } } } })]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.deviceFilterMatches).toEqual([rule]);
  });
  it('include + exclude of the same filter together cover every device', () => {
    expect(
      verdictOf([
        policy({ id: 'p1', conditions: { devices: { deviceFilter: { mode: 'include', rule } } } }),
        policy({ id: 'p2', conditions: { devices: { deviceFilter: { mode: 'exclude', rule } } } }),
      ]).verdict,
    ).toBe('pass');
  });
  it('the legacy excludeDevices Compliant state leaves compliant devices open', () => {
    const a = verdictOf([
      policy({
        id: 'p',
        conditions: {
          devices: { includeDevices: ['All'], excludeDevices: ['Compliant'] } as G.ConditionalAccessDevices,
        },
      }),
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.device.compliant).toBe(true);
  });
});

describe('authentication flows', () => {
  it('a policy on device code flow only covers that flow', () => {
    const a = verdictOf([
      policy({
        id: 'p',
        conditions: {
          authenticationFlows: {
            transferMethods: 'deviceCodeFlow',
          } as unknown as G.ConditionalAccessAuthenticationFlows,
        },
      }),
    ]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.authenticationFlow).not.toBe('deviceCodeFlow');
  });
  it('blocking device code flow beside an MFA policy still passes', () => {
    expect(
      verdictOf([
        MFA_ALL,
        policy({
          id: 'p',
          grant: BLOCK,
          conditions: {
            authenticationFlows: {
              transferMethods: 'deviceCodeFlow,authenticationTransfer',
            } as unknown as G.ConditionalAccessAuthenticationFlows,
          },
        }),
      ]).verdict,
    ).toBe('pass');
  });
});

describe('workload identity policies', () => {
  it('a policy targeting service principals only never applies to users', () => {
    const p = policy({ id: 'p' });
    const wi = {
      ...p,
      conditions: {
        ...p.conditions,
        users: null,
        clientApplications: { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] },
      },
    };
    expect(verdictOf([wi as G.ConditionalAccessPolicy]).verdict).toBe('fail');
  });
});

it('the gap example is concrete for the account tested', () => {
  expect(verdictOf([], {}, ALICE).gaps[0]!.example).toBeDefined();
});

describe('bounded search', () => {
  it('a search that hits its bound is unknown with a reason, never pass', async () => {
    const { prepare } = await import('../../../src/core/tenant/audit.js');
    const { evaluateSignature } = await import('../../../src/core/tenant/ca.js');
    const { complete } = await import('./build.js');
    const state = prepare(
      complete(
        [ALICE],
        [
          policy({ id: 'p1', conditions: { clientAppTypes: ['browser'] } }),
          policy({ id: 'p2', conditions: { platforms: { includePlatforms: ['iOS'] } } }),
        ],
      ),
    );
    const bounded = evaluateSignature(state.space, state.enabled, 'yy', 0);
    expect(bounded.verdict).toBe('unknown');
    expect(bounded.unknownReasons.join(' ')).toContain('too many');
    expect(evaluateSignature(state.space, state.enabled, 'yy').verdict).toBe('fail');
  });
});

describe('too many overlapping named locations', () => {
  // Twelve country locations that all include unknown countries overlap pairwise: more combinations than listed.
  const countries = Array.from({ length: 12 }, (_, i) => ({
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    id: `c${String(i).padStart(2, '0')}`,
    displayName: `C${i}`,
    countriesAndRegions: [`X${i}`],
    includeUnknownCountriesAndRegions: true,
    countryLookupMethod: 'clientIpAddress',
  }));
  const locs = { [GRAPH_KEYS.namedLocations]: countries };
  // A sign-in in both c10 and c11 escapes both policies, but that combination is beyond the listing cap.
  const excludeC0 = policy({
    id: 'p1',
    conditions: { locations: { includeLocations: ['All'], excludeLocations: ['c10'] } },
  });
  const onlyC0 = policy({
    id: 'p2',
    conditions: { locations: { includeLocations: ['All'], excludeLocations: ['c11'] } },
  });
  // Names all twelve locations, so every combination would have to be listed.
  const firstTen = policy({
    id: 'p3',
    conditions: { locations: { includeLocations: countries.slice(0, 10).map((c) => c.id) } },
  });
  it('a pass that depends on the locations becomes unknown, with the reason', () => {
    const a = verdictOf([excludeC0, onlyC0, firstTen], locs);
    expect(a.verdict).toBe('unknown');
    expect(a.reasons.join(' ')).toContain('too many overlapping named locations');
  });
  it('a pass that does not depend on them stays a pass', () => {
    expect(verdictOf([excludeC0, onlyC0, firstTen, MFA_ALL], locs).verdict).toBe('pass');
  });
});
