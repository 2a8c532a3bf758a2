// A synthetic tenant snapshot for the tenant benchmark (bench/tenant.js): by default 100,000 users, 2,000 groups
// with nesting, 200 Conditional Access policies of mixed shapes, named locations, role assignments, registration
// details, per-user MFA states for a few, and a federated domain. Deterministic (seeded PRNG): the same options
// give the same file, byte for byte.
//
//   node bench/synthetic-tenant.js OUT.json [--users 100000] [--groups 2000] [--policies 200] [--seed 1]
//
// The shapes are the contract's snapshot format (raw Graph JSON keyed by request path).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const DEFAULTS = { users: 100_000, groups: 2_000, policies: 200, seed: 1 };

/** mulberry32: small, fast, good enough for test data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A GUID-shaped id from a namespace number and an index (unique, readable in a diff). */
function id(namespace, index) {
  const hex = index.toString(16).padStart(12, '0');
  return `${namespace.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

const NS = { user: 0x10, group: 0x20, policy: 0x30, location: 0x40, assignment: 0x50, app: 0x60, sp: 0x70 };
const DOMAIN = 'synthetic.example';
const INITIAL = 'synthetic.onmicrosoft.com';
const FEDERATED = 'fed.synthetic.example';

const ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  directorySynchronizationAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
};
const ADMIN_ROLE_IDS = Object.values(ROLES).filter((r) => r !== ROLES.directorySynchronizationAccounts);

/** Build the snapshot object. */
export function buildSyntheticTenant(options = {}) {
  const { users: userCount, groups: groupCount, policies: policyCount, seed } = { ...DEFAULTS, ...options };
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const sample = (list, n) => {
    const out = new Set();
    const want = Math.min(n, list.length);
    while (out.size < want) out.add(pick(list));
    return [...out];
  };

  // Users: members (a share federated), guests, service accounts, disabled users, emergency and sync accounts.
  const users = [];
  for (let i = 0; i < userCount; i++) {
    const r = random();
    const uid = id(NS.user, i);
    let user;
    if (i === 0) {
      user = { upn: `Sync_SYN-DC01_0a1b2c3d4e5f@${INITIAL}`, name: 'On-Premises Directory Synchronization Service Account', type: 'Member' };
    } else if (i <= 2) {
      user = { upn: `breakglass0${i}@${INITIAL}`, name: `Break Glass 0${i}`, type: 'Member' };
    } else if (r < 0.07) {
      user = { upn: `guest${i}_partner${i % 97}.example#EXT#@${INITIAL}`, name: `Guest ${i}`, type: 'Guest', invited: true };
    } else if (r < 0.08) {
      user = { upn: `svc-app${i}@${DOMAIN}`, name: `Service ${i}`, type: 'Member' };
    } else if (r < 0.13) {
      user = { upn: `user${i}@${FEDERATED}`, name: `Federated User ${i}`, type: 'Member', synced: true };
    } else {
      user = { upn: `user${i}@${DOMAIN}`, name: `User ${i}`, type: 'Member', synced: chance(0.4) };
    }
    users.push({
      id: uid,
      userPrincipalName: user.upn,
      displayName: user.name,
      userType: user.type,
      accountEnabled: !chance(0.02),
      creationType: user.invited ? 'Invitation' : null,
      externalUserState: user.invited ? 'Accepted' : null,
      onPremisesSyncEnabled: user.synced ? true : null,
    });
  }
  const memberIndexes = users.map((_, i) => i).filter((i) => users[i].userType === 'Member' && i > 2);

  // Groups: 100 department groups; 1,890 team groups (40% nested in a department); 10 role-assignable groups.
  // Plus three big ones among the teams: everyone, and two regions.
  const departments = 100;
  const roleGroups = 10;
  const groups = [];
  const direct = [];
  const children = [];
  for (let g = 0; g < groupCount; g++) {
    groups.push({
      id: id(NS.group, g),
      displayName:
        g < departments ? `Dept-${g}` : g >= groupCount - roleGroups ? `Role-Admins-${g}` : `Team-${g}`,
      isAssignableToRole: g >= groupCount - roleGroups ? true : null,
    });
    direct.push([]);
    children.push([]);
  }
  for (let g = departments; g < groupCount - roleGroups; g++) {
    if (g === departments) direct[g] = memberIndexes; // "everyone"
    else if (g === departments + 1 || g === departments + 2) direct[g] = memberIndexes.filter((i) => i % 3 === g - departments);
    else {
      const size = chance(0.05) ? 300 + Math.floor(random() * 1500) : 5 + Math.floor(random() * 115);
      direct[g] = Array.from({ length: size }, () => pick(memberIndexes));
      if (chance(0.4)) children[Math.floor(random() * departments)].push(g);
    }
  }
  for (let g = 0; g < departments; g++) direct[g] = Array.from({ length: Math.floor(random() * 150) }, () => pick(memberIndexes));
  for (let g = groupCount - roleGroups; g < groupCount; g++) direct[g] = sample(memberIndexes, 2 + Math.floor(random() * 6));

  const transitive = (g) => {
    const userSet = new Set(direct[g]);
    for (const child of children[g]) for (const u of direct[child]) userSet.add(u);
    const entries = children[g].map((child) => ({ '@odata.type': '#microsoft.graph.group', id: groups[child].id }));
    for (const u of userSet) entries.push({ '@odata.type': '#microsoft.graph.user', id: users[u].id });
    return entries;
  };

  // Named locations: 20 IP ranges (5 trusted), 10 country lists.
  const locations = [];
  for (let l = 0; l < 30; l++) {
    const lid = id(NS.location, l);
    if (l < 20) {
      locations.push({
        '@odata.type': '#microsoft.graph.ipNamedLocation',
        id: lid,
        displayName: l < 5 ? `Office-${l} (trusted)` : `Site-${l}`,
        isTrusted: l < 5,
        ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: `10.${l}.0.0/16` }],
      });
    } else {
      locations.push({
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        id: lid,
        displayName: `Countries-${l}`,
        countriesAndRegions: sample(['NL', 'BE', 'DE', 'FR', 'GB', 'US', 'CA', 'IE', 'ES', 'IT'], 3),
        includeUnknownCountriesAndRegions: false,
        countryLookupMethod: 'clientIpAddress',
      });
    }
  }
  const locationIds = locations.map((l) => l.id);
  const appIds = Array.from({ length: 20 }, (_, a) => id(NS.app, a));
  const groupIds = groups.map((g) => g.id);

  // Conditional Access: a baseline set like a real tenant's, then random policies of mixed shapes.
  const breakglass = [users[1].id, users[2].id];
  const policies = [];
  const policy = (p, fields) => ({
    id: id(NS.policy, p),
    displayName: fields.displayName ?? `Policy ${p}`,
    state: fields.state ?? 'enabled',
    createdDateTime: '2025-01-01T00:00:00Z',
    modifiedDateTime: null,
    templateId: null,
    sessionControls: null,
    conditions: {
      userRiskLevels: fields.userRiskLevels ?? [],
      signInRiskLevels: fields.signInRiskLevels ?? [],
      clientAppTypes: fields.clientAppTypes ?? ['all'],
      platforms: fields.platforms ?? null,
      locations: fields.locations ?? null,
      devices: fields.devices ?? null,
      clientApplications: null,
      authenticationFlows: fields.authenticationFlows ?? null,
      applications: {
        includeApplications: ['All'],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
        applicationFilter: null,
        ...fields.applications,
      },
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
        ...fields.users,
      },
    },
    grantControls: {
      operator: 'OR',
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: null,
      ...fields.grant,
    },
  });
  policies.push(
    policy(0, {
      displayName: 'Baseline: MFA for all users',
      users: { includeUsers: ['All'], excludeUsers: breakglass, excludeRoles: [ROLES.directorySynchronizationAccounts] },
      clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'],
      locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
      grant: { builtInControls: ['mfa'] },
    }),
    policy(1, {
      displayName: 'Baseline: MFA for admins',
      users: { includeRoles: ADMIN_ROLE_IDS, excludeUsers: breakglass },
      grant: { builtInControls: ['mfa'] },
    }),
    policy(2, {
      displayName: 'Baseline: block legacy authentication',
      users: { includeUsers: ['All'], excludeUsers: breakglass },
      clientAppTypes: ['exchangeActiveSync', 'other'],
      grant: { builtInControls: ['block'] },
    }),
  );
  const grants = [
    () => ({ builtInControls: ['mfa'] }),
    () => ({ builtInControls: ['block'] }),
    () => ({ operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] }),
    () => ({ operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] }),
    () => ({ operator: 'OR', builtInControls: ['compliantApplication', 'approvedApplication'] }),
    () => ({ operator: 'AND', builtInControls: ['mfa', 'passwordChange'] }),
    () => ({ authenticationStrength: { id: '00000000-0000-0000-0000-000000000004', displayName: 'Phishing-resistant MFA', requirementsSatisfied: 'mfa', allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'] } }),
    () => ({ operator: 'OR', builtInControls: ['mfa'], termsOfUse: [id(NS.app, 900)] }),
    () => ({ operator: 'OR', builtInControls: [], customAuthenticationFactors: ['duo-custom-control'] }),
  ];
  for (let p = policies.length; p < policyCount; p++) {
    const who = random();
    const users_ =
      who < 0.3
        ? { includeUsers: ['All'], excludeGroups: sample(groupIds, Math.floor(random() * 3)), excludeUsers: breakglass }
        : who < 0.75
          ? { includeGroups: sample(groupIds, 1 + Math.floor(random() * 4)), excludeGroups: chance(0.3) ? sample(groupIds, 1) : [] }
          : who < 0.9
            ? { includeRoles: sample(ADMIN_ROLE_IDS, 1 + Math.floor(random() * 3)), excludeUsers: chance(0.5) ? breakglass : [] }
            : {
                includeGuestsOrExternalUsers: {
                  guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest,b2bCollaborationMember,otherExternalUser',
                  externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
                },
              };
    const what = random();
    const applications =
      what < 0.5
        ? {}
        : what < 0.65
          ? { includeApplications: ['Office365'] }
          : what < 0.75
            ? { includeApplications: ['MicrosoftAdminPortals'] }
            : what < 0.9
              ? { includeApplications: sample(appIds, 1 + Math.floor(random() * 3)), excludeApplications: [] }
              : { includeApplications: ['All'], excludeApplications: sample(appIds, 1) };
    // Broad policies (all users) always carry a narrowing condition, and blocks are narrow (as in real tenants),
    // so most members keep the baseline's gap (sign-ins from trusted locations) and fail, a realistic mix.
    const broad = users_.includeUsers !== undefined;
    const grant = pick(grants)();
    const blocks = grant.builtInControls?.includes('block') === true;
    const narrow = broad || blocks;
    const narrowing = narrow ? Math.floor(random() * 3) : -1;
    policies.push(
      policy(p, {
        state: chance(0.8) ? 'enabled' : chance(0.5) ? 'enabledForReportingButNotEnforced' : 'disabled',
        users: users_,
        applications: narrowing === 0 && what < 0.5 ? { includeApplications: ['Office365'] } : applications,
        clientAppTypes: chance(0.6) ? ['all'] : chance(0.5) ? ['browser', 'mobileAppsAndDesktopClients'] : ['mobileAppsAndDesktopClients'],
        platforms:
          narrowing === 1 || chance(0.2)
            ? { includePlatforms: sample(['android', 'iOS', 'windows', 'macOS', 'linux'], 2), excludePlatforms: [] }
            : null,
        locations:
          narrowing === 2 || chance(0.3)
            ? narrowing === 2 || chance(0.5)
              ? { includeLocations: ['All'], excludeLocations: ['AllTrusted'] }
              : { includeLocations: sample(locationIds, 1 + Math.floor(random() * 2)), excludeLocations: [] }
            : null,
        signInRiskLevels: chance(0.1) ? ['high', 'medium'] : [],
        userRiskLevels: chance(0.05) ? ['high'] : [],
        devices: chance(0.05) ? { deviceFilter: { mode: 'exclude', rule: 'device.trustType -eq "ServerAD"' } } : null,
        authenticationFlows: chance(0.03) ? { transferMethods: 'deviceCodeFlow' } : null,
        grant,
      }),
    );
  }

  // Directory roles: admins directly, and through the role-assignable groups; the sync account.
  const assignments = [];
  const assign = (principalId, roleDefinitionId, type) =>
    assignments.push({
      id: id(NS.assignment, assignments.length),
      principalId,
      roleDefinitionId,
      directoryScopeId: '/',
      principal: { '@odata.type': `#microsoft.graph.${type}`, id: principalId },
    });
  assign(users[0].id, ROLES.directorySynchronizationAccounts, 'user');
  for (const b of breakglass) assign(b, ROLES.globalAdministrator, 'user');
  for (let a = 0; a < 150; a++) assign(users[pick(memberIndexes)].id, pick(ADMIN_ROLE_IDS), 'user');
  for (let g = groupCount - roleGroups; g < groupCount; g++) assign(groups[g].id, pick(ADMIN_ROLE_IDS), 'group');
  assign(id(NS.sp, 1), ROLES.globalReader, 'servicePrincipal');

  const graph = {
    'v1.0/users': users,
    'v1.0/policies/identitySecurityDefaultsEnforcementPolicy': { id: '00000000-0000-0000-0000-000000000005', isEnabled: false },
    'v1.0/identity/conditionalAccess/policies': policies,
    'v1.0/identity/conditionalAccess/namedLocations': locations,
    'v1.0/policies/authenticationStrengthPolicies': [],
    'v1.0/groups': groups.map((g) => ({ id: g.id, displayName: g.displayName, isAssignableToRole: g.isAssignableToRole })),
    'v1.0/roleManagement/directory/roleAssignments': assignments,
    'v1.0/reports/authenticationMethods/userRegistrationDetails': users.map((u) => ({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      userType: u.userType === 'Guest' ? 'guest' : 'member',
      isAdmin: false,
      isMfaRegistered: !u.userPrincipalName.startsWith('svc-') && random() > 0.05,
      isMfaCapable: true,
      methodsRegistered: ['microsoftAuthenticatorPush'],
    })),
    'v1.0/domains': [
      { id: INITIAL, authenticationType: 'Managed', isDefault: false, isInitial: true, isVerified: true },
      { id: DOMAIN, authenticationType: 'Managed', isDefault: true, isInitial: false, isVerified: true },
      { id: FEDERATED, authenticationType: 'Federated', isDefault: false, isInitial: false, isVerified: true },
    ],
    [`v1.0/domains/${FEDERATED}/federationConfiguration`]: [
      { '@odata.type': '#microsoft.graph.internalDomainFederation', id: id(NS.app, 999), federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp' },
    ],
    'v1.0/policies/crossTenantAccessPolicy/default': { isServiceDefault: true, inboundTrust: { isMfaAccepted: false } },
  };
  for (let g = 0; g < groupCount; g++) graph[`v1.0/groups/${groups[g].id}/transitiveMembers`] = transitive(g);
  // Per-user MFA state for every enabled user (collection gathers it for the users no other mechanism decides;
  // without it those would be `unknown`): mostly disabled, a few enforced.
  for (let i = 1; i < userCount; i++) {
    if (users[i].accountEnabled === false) continue;
    graph[`beta/users/${users[i].id}/authentication/requirements`] = { perUserMfaState: chance(0.03) ? 'enforced' : 'disabled' };
  }
  return { format: 'mfa-audit-snapshot/1', tenantId: id(0x99, 1), collectedAt: '2026-11-20T00:00:00Z', graph };
}

/** Write the snapshot as compact JSON, one graph key at a time (no single 100 MB string in memory). */
export async function writeSyntheticTenant(path, options = {}) {
  const snapshot = buildSyntheticTenant(options);
  const out = createWriteStream(path);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`{"format":${JSON.stringify(snapshot.format)},"tenantId":${JSON.stringify(snapshot.tenantId)},`);
  await write(`"collectedAt":${JSON.stringify(snapshot.collectedAt)},"graph":{`);
  let first = true;
  for (const [key, value] of Object.entries(snapshot.graph)) {
    await write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (Array.isArray(value) && value.length > 1000) {
      await write('[');
      for (let i = 0; i < value.length; i++) await write((i ? ',' : '') + JSON.stringify(value[i]));
      await write(']');
    } else await write(JSON.stringify(value));
  }
  await write('}}\n');
  out.end();
  await once(out, 'finish');
  return {
    users: snapshot.graph['v1.0/users'].length,
    groups: Object.keys(snapshot.graph).filter((k) => k.endsWith('/transitiveMembers')).length,
    memberships: Object.entries(snapshot.graph)
      .filter(([k]) => k.endsWith('/transitiveMembers'))
      .reduce((n, [, v]) => n + v.length, 0),
    policies: snapshot.graph['v1.0/identity/conditionalAccess/policies'].length,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [path, ...rest] = process.argv.slice(2);
  if (!path) {
    console.error('usage: node bench/synthetic-tenant.js OUT.json [--users N] [--groups N] [--policies N] [--seed N]');
    process.exitCode = 2;
  } else {
    const options = {};
    for (let i = 0; i < rest.length; i += 2) options[rest[i].replace(/^--/, '')] = Number(rest[i + 1]);
    const stats = await writeSyntheticTenant(path, options);
    console.log(`wrote ${path}: ${JSON.stringify(stats)}`);
  }
}
