// A synthetic tenant snapshot for the tenant benchmark (bench/tenant.js): by default 100,000 users, 2,000 groups
// with nesting, 200 Conditional Access policies of mixed shapes, named locations, role assignments, registration
// details, per-user MFA states for a few, and a federated domain. Deterministic (seeded PRNG): the same options
// give the same file, byte for byte. The Graph shapes come from the shared builders (src/core/snapshot-builder.ts,
// built into dist/ by `npm run build`).
//
//   node bench/synthetic-tenant.js OUT.json [--users 100000] [--groups 2000] [--policies 200] [--seed 1]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  ROLE_TEMPLATE_IDS,
  allGuestsOrExternalUsers,
  builtInStrengths,
  countryNamedLocation,
  crossTenantDefault,
  directoryObject,
  domainFederation,
  federationConfiguration,
  graphDomain,
  graphGroup,
  graphPolicy,
  graphUser,
  groupMembers,
  ipNamedLocation,
  perUserMfa,
  registrationDetails,
  roleAssignment,
  securityDefaults,
  snapshot,
  strengthSummary,
} from '../dist/core/snapshot-builder.js';
import { GRAPH_KEYS } from '../dist/core/snapshot.js';

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

/** Draws from the seeded PRNG: a number in [0, 1), one of a list, a chance, a sample without repeats. */
function draws(seed) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const sample = (list, n) => {
    const out = new Set();
    const want = Math.min(n, list.length);
    while (out.size < want) out.add(pick(list));
    return [...out];
  };
  return { random, pick, chance, sample };
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

const ROLE_NAMES = [
  'globalAdministrator',
  'securityAdministrator',
  'exchangeAdministrator',
  'userAdministrator',
  'helpdeskAdministrator',
  'conditionalAccessAdministrator',
  'globalReader',
  'directorySynchronizationAccounts',
];
const ROLES = Object.fromEntries(ROLE_NAMES.map((name) => [name, ROLE_TEMPLATE_IDS[name]]));
const ADMIN_ROLE_IDS = Object.values(ROLES).filter((r) => r !== ROLES.directorySynchronizationAccounts);

/** Members (a share federated), guests, service accounts, disabled users, emergency and sync accounts. */
function makeUsers(userCount, { random, chance }) {
  const users = [];
  for (let i = 0; i < userCount; i++) {
    const r = random();
    let user;
    if (i === 0) {
      user = {
        upn: `Sync_SYN-DC01_0a1b2c3d4e5f@${INITIAL}`,
        name: 'On-Premises Directory Synchronization Service Account',
        type: 'Member',
      };
    } else if (i <= 2) {
      user = { upn: `breakglass0${i}@${INITIAL}`, name: `Break Glass 0${i}`, type: 'Member' };
    } else if (r < 0.07) {
      user = {
        upn: `guest${i}_partner${i % 97}.example#EXT#@${INITIAL}`,
        name: `Guest ${i}`,
        type: 'Guest',
        invited: true,
      };
    } else if (r < 0.08) {
      user = { upn: `svc-app${i}@${DOMAIN}`, name: `Service ${i}`, type: 'Member' };
    } else if (r < 0.13) {
      user = { upn: `user${i}@${FEDERATED}`, name: `Federated User ${i}`, type: 'Member', synced: true };
    } else {
      user = { upn: `user${i}@${DOMAIN}`, name: `User ${i}`, type: 'Member', synced: chance(0.4) };
    }
    users.push(
      graphUser({
        id: id(NS.user, i),
        userPrincipalName: user.upn,
        displayName: user.name,
        userType: user.type,
        accountEnabled: !chance(0.02),
        creationType: user.invited ? 'Invitation' : null,
        externalUserState: user.invited ? 'Accepted' : null,
        onPremisesSyncEnabled: user.synced ? true : null,
      }),
    );
  }
  return users;
}

/**
 * 100 department groups; team groups (40% nested in a department); 10 role-assignable groups. Three big ones among
 * the teams: everyone, and two regions. Returns the groups, their direct members and their nested groups.
 */
function makeGroups(groupCount, memberIndexes, { random, pick, chance, sample }) {
  const departments = 100;
  const roleGroups = 10;
  const groups = [];
  const direct = [];
  const children = [];
  for (let g = 0; g < groupCount; g++) {
    const roleAssignable = g >= groupCount - roleGroups;
    const displayName = g < departments ? `Dept-${g}` : roleAssignable ? `Role-Admins-${g}` : `Team-${g}`;
    groups.push(graphGroup({ id: id(NS.group, g), displayName, isAssignableToRole: roleAssignable ? true : null }));
    direct.push([]);
    children.push([]);
  }
  for (let g = departments; g < groupCount - roleGroups; g++) {
    if (g === departments)
      direct[g] = memberIndexes; // "everyone"
    else if (g === departments + 1 || g === departments + 2)
      direct[g] = memberIndexes.filter((i) => i % 3 === g - departments);
    else {
      const size = chance(0.05) ? 300 + Math.floor(random() * 1500) : 5 + Math.floor(random() * 115);
      direct[g] = Array.from({ length: size }, () => pick(memberIndexes));
      if (chance(0.4)) children[Math.floor(random() * departments)].push(g);
    }
  }
  for (let g = 0; g < departments; g++)
    direct[g] = Array.from({ length: Math.floor(random() * 150) }, () => pick(memberIndexes));
  for (let g = groupCount - roleGroups; g < groupCount; g++)
    direct[g] = sample(memberIndexes, 2 + Math.floor(random() * 6));
  return { groups, direct, children, roleGroups };
}

/** A group's transitive members: its nested groups, then every user of it and of them. */
function transitiveMembers(g, { groups, direct, children }, users) {
  const userSet = new Set(direct[g]);
  for (const child of children[g]) for (const u of direct[child]) userSet.add(u);
  const entries = children[g].map((child) => directoryObject('group', groups[child].id));
  for (const u of userSet) entries.push(directoryObject('user', users[u].id));
  return entries;
}

/** Named locations: 20 IP ranges (5 trusted), 10 country lists. */
function makeLocations({ sample }) {
  const locations = [];
  for (let l = 0; l < 30; l++) {
    const lid = id(NS.location, l);
    if (l < 20) {
      locations.push(
        ipNamedLocation({
          id: lid,
          displayName: l < 5 ? `Office-${l} (trusted)` : `Site-${l}`,
          isTrusted: l < 5,
          cidrs: [`10.${l}.0.0/16`],
        }),
      );
    } else {
      const countries = sample(['NL', 'BE', 'DE', 'FR', 'GB', 'US', 'CA', 'IE', 'ES', 'IT'], 3);
      locations.push(countryNamedLocation({ id: lid, displayName: `Countries-${l}`, countries }));
    }
  }
  return locations;
}

/** A policy of the synthetic tenant: Graph's list shape, made on 2025-01-01. */
function syntheticPolicy(p, { displayName, state, users, applications, grant, ...conditions }) {
  return graphPolicy({
    id: id(NS.policy, p),
    displayName: displayName ?? `Policy ${p}`,
    state,
    users,
    applications,
    grant,
    conditions,
  });
}

/** A baseline set like a real tenant's. */
function baselinePolicies(breakglass) {
  return [
    syntheticPolicy(0, {
      displayName: 'Baseline: MFA for all users',
      users: {
        includeUsers: ['All'],
        excludeUsers: breakglass,
        excludeRoles: [ROLES.directorySynchronizationAccounts],
      },
      clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'],
      locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
      grant: { builtInControls: ['mfa'] },
    }),
    syntheticPolicy(1, {
      displayName: 'Baseline: MFA for admins',
      users: { includeRoles: ADMIN_ROLE_IDS, excludeUsers: breakglass },
      grant: { builtInControls: ['mfa'] },
    }),
    syntheticPolicy(2, {
      displayName: 'Baseline: block legacy authentication',
      users: { includeUsers: ['All'], excludeUsers: breakglass },
      clientAppTypes: ['exchangeActiveSync', 'other'],
      grant: { builtInControls: ['block'] },
    }),
  ];
}

const GRANTS = [
  () => ({ builtInControls: ['mfa'] }),
  () => ({ builtInControls: ['block'] }),
  () => ({ operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] }),
  () => ({ operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] }),
  () => ({ operator: 'OR', builtInControls: ['compliantApplication', 'approvedApplication'] }),
  () => ({ operator: 'AND', builtInControls: ['mfa', 'passwordChange'] }),
  () => ({ authenticationStrength: strengthSummary(builtInStrengths().phishingResistant) }),
  () => ({ operator: 'OR', builtInControls: ['mfa'], termsOfUse: [id(NS.app, 900)] }),
  () => ({ operator: 'OR', builtInControls: [], customAuthenticationFactors: ['duo-custom-control'] }),
];

/** Who a random policy targets: all users, groups, admin roles or guests. */
function randomUsers(who, breakglass, groupIds, { random, chance, sample }) {
  if (who < 0.3)
    return {
      includeUsers: ['All'],
      excludeGroups: sample(groupIds, Math.floor(random() * 3)),
      excludeUsers: breakglass,
    };
  if (who < 0.75)
    return {
      includeGroups: sample(groupIds, 1 + Math.floor(random() * 4)),
      excludeGroups: chance(0.3) ? sample(groupIds, 1) : [],
    };
  if (who < 0.9)
    return {
      includeRoles: sample(ADMIN_ROLE_IDS, 1 + Math.floor(random() * 3)),
      excludeUsers: chance(0.5) ? breakglass : [],
    };
  return { includeGuestsOrExternalUsers: allGuestsOrExternalUsers() };
}

/** Which applications a random policy covers. */
function randomApplications(what, appIds, { random, sample }) {
  if (what < 0.5) return {};
  if (what < 0.65) return { includeApplications: ['Office365'] };
  if (what < 0.75) return { includeApplications: ['MicrosoftAdminPortals'] };
  if (what < 0.9) return { includeApplications: sample(appIds, 1 + Math.floor(random() * 3)), excludeApplications: [] };
  return { includeApplications: ['All'], excludeApplications: sample(appIds, 1) };
}

/**
 * One random policy. Broad policies (all users) always carry a narrowing condition, and blocks are narrow (as in
 * real tenants), so most members keep the baseline's gap (sign-ins from trusted locations) and fail, a realistic mix.
 */
function randomPolicy(p, breakglass, groupIds, locationIds, appIds, d) {
  const { random, pick, chance, sample } = d;
  const users = randomUsers(random(), breakglass, groupIds, d);
  const what = random();
  const applications = randomApplications(what, appIds, d);
  const broad = users.includeUsers !== undefined;
  const grant = pick(GRANTS)();
  const blocks = grant.builtInControls?.includes('block') === true;
  const narrowing = broad || blocks ? Math.floor(random() * 3) : -1;
  return syntheticPolicy(p, {
    state: chance(0.8) ? 'enabled' : chance(0.5) ? 'enabledForReportingButNotEnforced' : 'disabled',
    users,
    applications: narrowing === 0 && what < 0.5 ? { includeApplications: ['Office365'] } : applications,
    clientAppTypes: chance(0.6)
      ? ['all']
      : chance(0.5)
        ? ['browser', 'mobileAppsAndDesktopClients']
        : ['mobileAppsAndDesktopClients'],
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
  });
}

/** Directory roles: admins directly, and through the role-assignable groups; the sync account; a reader app. */
function makeAssignments(users, memberIndexes, groups, roleGroups, breakglass, { pick }) {
  const assignments = [];
  const assign = (principalId, roleDefinitionId, kind) =>
    assignments.push(
      roleAssignment({
        id: id(NS.assignment, assignments.length),
        principalId,
        roleDefinitionId,
        principal: directoryObject(kind, principalId),
      }),
    );
  assign(users[0].id, ROLES.directorySynchronizationAccounts, 'user');
  for (const b of breakglass) assign(b, ROLES.globalAdministrator, 'user');
  for (let a = 0; a < 150; a++) assign(users[pick(memberIndexes)].id, pick(ADMIN_ROLE_IDS), 'user');
  for (let g = groups.length - roleGroups; g < groups.length; g++) assign(groups[g].id, pick(ADMIN_ROLE_IDS), 'group');
  assign(id(NS.sp, 1), ROLES.globalReader, 'servicePrincipal');
  return assignments;
}

const registration = (u, { random }) =>
  registrationDetails({
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    userType: u.userType === 'Guest' ? 'guest' : 'member',
    isAdmin: false,
    isMfaRegistered: !u.userPrincipalName.startsWith('svc-') && random() > 0.05,
    isMfaCapable: true,
    methodsRegistered: ['microsoftAuthenticatorPush'],
  });

const DOMAINS = [
  graphDomain({ id: INITIAL, authenticationType: 'Managed', isDefault: false, isInitial: true }),
  graphDomain({ id: DOMAIN, authenticationType: 'Managed', isDefault: true, isInitial: false }),
  graphDomain({ id: FEDERATED, authenticationType: 'Federated', isDefault: false, isInitial: false }),
];

/** Build the snapshot object. */
export function buildSyntheticTenant(options = {}) {
  const { users: userCount, groups: groupCount, policies: policyCount, seed } = { ...DEFAULTS, ...options };
  const d = draws(seed);
  const users = makeUsers(userCount, d);
  const memberIndexes = users.map((_, i) => i).filter((i) => users[i].userType === 'Member' && i > 2);
  const groupSet = makeGroups(groupCount, memberIndexes, d);
  const { groups, roleGroups } = groupSet;
  const locations = makeLocations(d);
  const locationIds = locations.map((l) => l.id);
  const appIds = Array.from({ length: 20 }, (_, a) => id(NS.app, a));
  const groupIds = groups.map((g) => g.id);
  const breakglass = [users[1].id, users[2].id];
  const policies = baselinePolicies(breakglass);
  for (let p = policies.length; p < policyCount; p++)
    policies.push(randomPolicy(p, breakglass, groupIds, locationIds, appIds, d));
  const assignments = makeAssignments(users, memberIndexes, groups, roleGroups, breakglass, d);

  const graph = {
    [GRAPH_KEYS.users]: users,
    [GRAPH_KEYS.securityDefaults]: securityDefaults(false),
    [GRAPH_KEYS.conditionalAccessPolicies]: policies,
    [GRAPH_KEYS.namedLocations]: locations,
    [GRAPH_KEYS.authenticationStrengthPolicies]: [],
    'v1.0/groups': groups,
    [GRAPH_KEYS.roleAssignments]: assignments,
    [GRAPH_KEYS.registrationDetails]: users.map((u) => registration(u, d)),
    [GRAPH_KEYS.domains]: DOMAINS,
    ...federationConfiguration(FEDERATED, [domainFederation(id(NS.app, 999), 'acceptIfMfaDoneByFederatedIdp')]),
    [GRAPH_KEYS.crossTenantDefault]: crossTenantDefault({ isMfaAccepted: false }),
  };
  for (let g = 0; g < groupCount; g++)
    Object.assign(graph, groupMembers(groups[g].id, transitiveMembers(g, groupSet, users)));
  // Per-user MFA state for every enabled user (collection gathers it for the users no other mechanism decides;
  // without it those would be `unknown`): mostly disabled, a few enforced.
  for (let i = 1; i < userCount; i++) {
    if (users[i].accountEnabled === false) continue;
    Object.assign(graph, perUserMfa(users[i].id, d.chance(0.03) ? 'enforced' : 'disabled'));
  }
  return snapshot(id(0x99, 1), '2026-11-20T00:00:00Z', graph);
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
