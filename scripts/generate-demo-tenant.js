// Writes fixtures/demo-tenant.json: the bundled demo partner tenant for `mfa-audit tenant --demo`.
//
// Northwind Cloud Partners is a Microsoft CSP partner (about 55 user objects) that bought Tailspin IT, whose users
// still sign in through Tailspin's AD FS. Its Conditional Access set looks complete at a glance, and has the gaps
// that real partner tenants have (docs/tenant.md tells the story):
//   1. "Require MFA for all users" excludes AllTrusted, so a sign-in from the HQ office needs no MFA;
//   2. it covers browser and mobile/desktop clients only, and the legacy-authentication block is report-only;
//   3. the first emergency account is excluded from every MFA policy and no other policy covers it;
//   4. service accounts (one of them in AdminAgents) sit in an exclusion group;
//   5. SalesAgents are left out of the partner-agent policy;
//   6. Tailspin's federated users are excluded "because AD FS does MFA", which Graph cannot prove.
//
// Everything is in the snapshot format (raw Graph JSON keyed by request path), made with the shared builders of
// src/core/snapshot-builder.ts, so run it after a build: `npm run demo:generate`. Every id is derived from a name and
// every date is fixed, so the file is the same on every run (test/scripts/demo-tenant.test.ts checks it).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ROLE_TEMPLATE_IDS as ROLE,
  allGuestsOrExternalUsers,
  b2bSetting,
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
} from '../dist/core/snapshot-builder.js';
import { GRAPH_KEYS } from '../dist/core/snapshot.js';

export const DEMO_TENANT_PATH = fileURLToPath(new URL('../fixtures/demo-tenant.json', import.meta.url));

/** A GUID-shaped id derived from a name (version 4 / variant 1 bits set, like real object ids). */
function guid(name) {
  const h = createHash('sha256').update(`northwind-demo:${name}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const TENANT_ID = guid('tenant');
const INITIAL = 'northwindcloud.onmicrosoft.com';
const PRIMARY = 'northwindcloud.com';
const FEDERATED = 'tailspin-it.com';
const COLLECTED_AT = '2026-11-20T07:45:12Z';

// ---------------------------------------------------------------------------------------------------------------
// People and other user objects. `groups` are the groups the user is a direct member of; `roles` direct role
// assignments; `mfa` the per-user (legacy) MFA state; `registered` isMfaRegistered in the registration report.

const people = [];
function person(p) {
  const upn = p.upn.includes('@') ? p.upn : `${p.upn}@${PRIMARY}`;
  people.push({ groups: [], roles: [], mfa: 'disabled', registered: true, enabled: true, ...p, upn });
}

// Administrators, all in AdminAgents (legacy DAP: Global Administrator in every customer tenant).
person({
  upn: 'adele.vance',
  name: 'Adele Vance',
  title: 'Managing Director',
  groups: ['AdminAgents'],
  roles: ['globalAdministrator'],
  methods: ['microsoftAuthenticatorPush', 'fido2'],
});
person({
  upn: 'diego.siciliani',
  name: 'Diego Siciliani',
  title: 'Head of Cloud Operations',
  groups: ['AdminAgents'],
  roles: ['globalAdministrator'],
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: 'megan.bowen',
  name: 'Megan Bowen',
  title: 'Security Lead',
  groups: ['AdminAgents'],
  roles: ['securityAdministrator'],
  methods: ['fido2', 'microsoftAuthenticatorPush'],
});
person({
  upn: 'lee.gu',
  name: 'Lee Gu',
  title: 'Senior Cloud Engineer',
  groups: ['AdminAgents', 'SG-Role-Helpdesk-Administrators'],
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: 'isaiah.langer',
  name: 'Isaiah Langer',
  title: 'Cloud Engineer',
  groups: ['AdminAgents'],
  methods: ['softwareOneTimePasscode'],
});
person({
  upn: 'christie.cline',
  name: 'Christie Cline',
  title: 'Messaging Engineer',
  roles: ['exchangeAdministrator'],
  methods: ['microsoftAuthenticatorPush'],
});

// Helpdesk agents; Tier 2 is a nested group inside HelpdeskAgents.
person({
  upn: 'johanna.lorenz',
  name: 'Johanna Lorenz',
  title: 'Service Desk Lead',
  groups: ['HelpdeskAgents'],
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: 'lidia.holloway',
  name: 'Lidia Holloway',
  title: 'Service Desk Engineer',
  groups: ['HelpdeskAgents'],
  methods: ['mobilePhone'],
});
person({
  upn: 'pradeep.gupta',
  name: 'Pradeep Gupta',
  title: 'Service Desk Engineer',
  groups: ['HelpdeskAgents'],
  registered: false,
  methods: [],
});
person({
  upn: 'grady.archie',
  name: 'Grady Archie',
  title: 'Service Desk Engineer (Tier 2)',
  groups: ['Helpdesk-Tier2'],
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: 'joni.sherman',
  name: 'Joni Sherman',
  title: 'Service Desk Engineer (Tier 2)',
  groups: ['Helpdesk-Tier2', 'SG-Role-Helpdesk-Administrators'],
  methods: ['microsoftAuthenticatorPush'],
});

// Sales agents: left out of the partner-agent policy ("they have no admin access to customers").
person({
  upn: 'alex.wilber',
  name: 'Alex Wilber',
  title: 'Account Manager',
  groups: ['SalesAgents'],
  methods: ['mobilePhone'],
});
person({
  upn: 'nestor.wilke',
  name: 'Nestor Wilke',
  title: 'Account Manager',
  groups: ['SalesAgents'],
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: 'patti.fernandez',
  name: 'Patti Fernandez',
  title: 'Sales Director',
  groups: ['SalesAgents'],
  mfa: 'enforced',
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: 'lynne.robbins',
  name: 'Lynne Robbins',
  title: 'Inside Sales',
  groups: ['SalesAgents'],
  mfa: 'enabled',
  methods: ['mobilePhone'],
});
person({
  upn: 'miriam.graham',
  name: 'Miriam Graham',
  title: 'Partner Development Manager',
  groups: ['SalesAgents'],
  methods: ['microsoftAuthenticatorPush'],
});

// Everyone else at Northwind.
const staff = [
  ['enrico.cattaneo', 'Enrico Cattaneo', 'Finance Manager'],
  ['henrietta.mueller', 'Henrietta Mueller', 'Controller'],
  ['irvin.sayers', 'Irvin Sayers', 'Operations Manager', { mfa: 'enforced' }],
  ['debra.berger', 'Debra Berger', 'Office Manager'],
  ['emily.braun', 'Emily Braun', 'Marketing Manager'],
  ['allan.deyoung', 'Allan Deyoung', 'Solutions Architect'],
  ['alberto.moreno', 'Alberto Moreno', 'Solutions Architect'],
  ['cameron.white', 'Cameron White', 'Project Manager'],
  ['carlos.slattery', 'Carlos Slattery', 'Project Manager'],
  ['delia.dennis', 'Delia Dennis', 'Licensing Specialist'],
  ['gerhart.moller', 'Gerhart Moller', 'Cloud Consultant'],
  ['isabella.simonsen', 'Isabella Simonsen', 'Cloud Consultant'],
  ['lukas.schmidt', 'Lukas Schmidt', 'Cloud Consultant'],
  ['mona.kane', 'Mona Kane', 'HR Business Partner'],
  ['nina.vos', 'Nina Vos', 'Trainee', { registered: false, methods: [] }],
  ['sanne.jansen', 'Sanne Jansen', 'Marketing Trainee', { registered: false, methods: [] }],
  ['rob.young', 'Rob Young', 'Billing Specialist'],
  ['tom.bakker', 'Tom Bakker', 'Presales Engineer'],
];
for (const [upn, name, title, extra] of staff) {
  person({ upn, name, title, methods: ['microsoftAuthenticatorPush'], ...extra });
}

// Tailspin IT (acquired): synced from its AD and federated through AD FS, excluded from "all users" by group.
for (const [upn, name, title] of [
  ['bas.dekker', 'Bas Dekker', 'Tailspin Team Lead'],
  ['fleur.visser', 'Fleur Visser', 'Tailspin Engineer'],
  ['joost.smit', 'Joost Smit', 'Tailspin Engineer'],
  ['anouk.meijer', 'Anouk Meijer', 'Tailspin Service Manager'],
]) {
  person({
    upn: `${upn}@${FEDERATED}`,
    name,
    title,
    groups: ['SG-CA-Exclusions-Tailspin-ADFS'],
    synced: true,
    methods: [],
    registered: false,
  });
}

// Guests and external users of several kinds.
person({
  upn: `megan_contoso.com#EXT#@${INITIAL}`,
  name: 'Megan (Contoso)',
  title: null,
  guest: 'entra',
  mail: 'megan@contoso.com',
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: `raj.patel_fabrikam.com#EXT#@${INITIAL}`,
  name: 'Raj Patel (Fabrikam)',
  title: null,
  guest: 'entra',
  mail: 'raj.patel@fabrikam.com',
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: `it-support_adatum.com#EXT#@${INITIAL}`,
  name: 'Adatum IT Support',
  title: null,
  guest: 'entra',
  mail: 'it-support@adatum.com',
  methods: ['mobilePhone'],
});
person({
  upn: `kim.lee_woodgrovebank.com#EXT#@${INITIAL}`,
  name: 'Kim Lee (Woodgrove Bank)',
  title: null,
  guest: 'pending',
  mail: 'kim.lee@woodgrovebank.com',
  methods: [],
  registered: false,
});
person({
  upn: `sam.taylor_outlook.com#EXT#@${INITIAL}`,
  name: 'Sam Taylor',
  title: null,
  guest: 'msa',
  mail: 'sam.taylor@outlook.com',
  methods: ['mobilePhone'],
});
person({
  upn: `freelance.designer_gmail.com#EXT#@${INITIAL}`,
  name: 'Freelance designer',
  title: null,
  guest: 'otp',
  mail: 'freelance.designer@gmail.com',
  methods: ['email'],
  registered: false,
});
person({
  upn: 'contractor.jones',
  name: 'Chris Jones (contractor)',
  title: 'Contractor',
  guest: 'internal',
  methods: ['mobilePhone'],
});
person({
  upn: `ravi_litware.com#EXT#@${INITIAL}`,
  name: 'Ravi Kumar (Litware)',
  title: 'Alliance Manager',
  guest: 'b2bMember',
  mail: 'ravi@litware.com',
  methods: ['microsoftAuthenticatorPush'],
});

// Service accounts, in the CA exclusion group; the PSA sync account is also in AdminAgents.
person({
  upn: 'svc-scanner',
  name: 'Scan to e-mail (MFP 2nd floor)',
  title: null,
  groups: ['SG-CA-Exclusions-ServiceAccounts'],
  registered: false,
  methods: [],
});
person({
  upn: 'svc-backup',
  name: 'M365 backup service',
  title: null,
  groups: ['SG-CA-Exclusions-ServiceAccounts'],
  registered: false,
  methods: [],
});
person({
  upn: 'svc-psa-sync',
  name: 'PSA ticket sync',
  title: null,
  groups: ['SG-CA-Exclusions-ServiceAccounts', 'AdminAgents'],
  roles: ['globalReader'],
  registered: false,
  methods: [],
});
// Not named like a service account: only `--service-accounts '^powerbi[.]'` makes it one (docs/tenant.md).
person({
  upn: 'powerbi.reports',
  name: 'Power BI reporting',
  title: null,
  groups: ['SG-CA-Exclusions-ServiceAccounts'],
  registered: false,
  methods: [],
});

// Emergency access: the first is excluded from everything; the second shows the fix (phishing-resistant MFA).
person({
  upn: `breakglass01@${INITIAL}`,
  name: 'Break Glass 01',
  title: null,
  roles: ['globalAdministrator'],
  registered: false,
  methods: [],
});
person({
  upn: `emergency-access02@${INITIAL}`,
  name: 'Emergency Access 02',
  title: null,
  roles: ['globalAdministrator'],
  methods: ['fido2'],
});

// Entra Connect's sync account: the one exception the partner requirements state.
person({
  upn: `Sync_NWC-DC01_8f3a2c1b9d4e@${INITIAL}`,
  name: 'On-Premises Directory Synchronization Service Account',
  title: null,
  roles: ['directorySynchronizationAccounts'],
  registered: false,
  methods: [],
  noPerUserState: true,
});

// Cannot sign in: leavers, a shared mailbox, a room.
person({
  upn: 'joe.leaver',
  name: 'Joe Leaver',
  title: 'Account Manager (left 2026-06)',
  groups: ['SalesAgents'],
  enabled: false,
  methods: ['mobilePhone'],
});
person({
  upn: 'pieter.oud',
  name: 'Pieter Oud',
  title: 'Cloud Engineer (left 2025-12)',
  enabled: false,
  methods: ['microsoftAuthenticatorPush'],
});
person({
  upn: 'info',
  name: 'Info mailbox',
  title: null,
  enabled: false,
  registered: false,
  methods: [],
  noPerUserState: true,
});
person({
  upn: 'room-amsterdam-boardroom',
  name: 'Amsterdam Boardroom',
  title: null,
  enabled: false,
  registered: false,
  methods: [],
  noPerUserState: true,
});

for (const p of people) p.id = guid(`user:${p.upn.toLowerCase()}`);
const byUpn = (upn) => {
  const found = people.find((p) => p.upn.toLowerCase().startsWith(upn.toLowerCase()));
  if (!found) throw new Error(`no demo user ${upn}`);
  return found;
};

// ---------------------------------------------------------------------------------------------------------------
// Users.

const guestShape = {
  entra: { userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted', issuer: 'ExternalAzureAD' },
  pending: {
    userType: 'Guest',
    creationType: 'Invitation',
    externalUserState: 'PendingAcceptance',
    issuer: 'ExternalAzureAD',
  },
  msa: { userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted', issuer: 'MicrosoftAccount' },
  otp: { userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted', issuer: 'mail' },
  b2bMember: {
    userType: 'Member',
    creationType: 'Invitation',
    externalUserState: 'Accepted',
    issuer: 'ExternalAzureAD',
  },
  internal: { userType: 'Guest', creationType: null, externalUserState: null, issuer: null },
};

function userJson(p) {
  const g = p.guest ? guestShape[p.guest] : undefined;
  const identities =
    g?.issuer != null
      ? [{ signInType: 'federated', issuer: g.issuer, issuerAssignedId: null }]
      : [{ signInType: 'userPrincipalName', issuer: INITIAL, issuerAssignedId: p.upn }];
  return graphUser({
    id: p.id,
    userPrincipalName: p.upn,
    displayName: p.name,
    jobTitle: p.title ?? null,
    mail: p.mail ?? (p.upn.startsWith('Sync_') || p.upn.includes(INITIAL) ? null : p.upn),
    userType: g?.userType ?? 'Member',
    accountEnabled: p.enabled,
    creationType: g?.creationType ?? null,
    externalUserState: g?.externalUserState ?? null,
    onPremisesSyncEnabled: p.synced ? true : null,
    identities,
  });
}

const userPrincipal = (p) => directoryObject('user', p.id, { displayName: p.name, userPrincipalName: p.upn });

// ---------------------------------------------------------------------------------------------------------------
// Groups: the partner agent groups Partner Center created, a nested tier-2 group, CA exclusion groups and a
// role-assignable group that holds Helpdesk Administrator.

const groupDefs = [
  { name: 'AdminAgents', description: 'Partner Center admin agents (created by Partner Center)' },
  {
    name: 'HelpdeskAgents',
    description: 'Partner Center helpdesk agents (created by Partner Center)',
    nested: ['Helpdesk-Tier2'],
  },
  { name: 'SalesAgents', description: 'Partner Center sales agents (created by Partner Center)' },
  { name: 'Helpdesk-Tier2', description: 'Second-line service desk' },
  { name: 'SG-CA-Exclusions-ServiceAccounts', description: 'Excluded from MFA policies: accounts that cannot do MFA' },
  { name: 'SG-CA-Exclusions-Tailspin-ADFS', description: 'Tailspin users: MFA is done by Tailspin AD FS' },
  { name: 'SG-Role-Helpdesk-Administrators', description: 'Holds Helpdesk Administrator', roleAssignable: true },
];
for (const g of groupDefs) g.id = guid(`group:${g.name}`);
const groupId = (name) => {
  const g = groupDefs.find((d) => d.name === name);
  if (!g) throw new Error(`no demo group ${name}`);
  return g.id;
};

/** `GET /groups/{id}/transitiveMembers?$select=id,displayName,userPrincipalName`: users and nested groups. */
function transitiveMembers(def) {
  const members = [];
  const seen = new Set();
  const addUsers = (groupName) => {
    for (const p of people.filter((q) => q.groups.includes(groupName))) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      members.push(userPrincipal(p));
    }
  };
  addUsers(def.name);
  for (const nested of def.nested ?? []) {
    members.push(directoryObject('group', groupId(nested), { displayName: nested }));
    addUsers(nested);
  }
  return members;
}

const groupJson = (g) =>
  graphGroup({
    id: g.id,
    displayName: g.name,
    description: g.description,
    groupTypes: [],
    mailEnabled: false,
    securityEnabled: true,
    isAssignableToRole: g.roleAssignable === true ? true : null,
  });

// ---------------------------------------------------------------------------------------------------------------
// Role assignments (`$expand=principal`), tenant-wide.

function roleAssignments() {
  const assignments = [];
  const assign = (roleKey, principal) =>
    assignments.push(
      roleAssignment({
        id: guid(`assignment:${roleKey}:${principal.id}`),
        principalId: principal.id,
        roleDefinitionId: ROLE[roleKey],
        appScopeId: null,
        condition: null,
        principal,
      }),
    );
  for (const p of people) for (const role of p.roles) assign(role, userPrincipal(p));
  const helpdeskGroup = 'SG-Role-Helpdesk-Administrators';
  assign('helpdeskAdministrator', directoryObject('group', groupId(helpdeskGroup), { displayName: helpdeskGroup }));
  assign(
    'globalReader',
    directoryObject('servicePrincipal', guid('sp:monitoring'), {
      displayName: 'Northwind tenant monitoring',
      appId: guid('app:monitoring'),
    }),
  );
  return assignments;
}

// ---------------------------------------------------------------------------------------------------------------
// Named locations.

const HQ = guid('location:hq');
const BRANCH = guid('location:branch');
const COUNTRIES = guid('location:allowed-countries');
const namedLocations = () => [
  ipNamedLocation({
    id: HQ,
    displayName: 'HQ',
    createdDateTime: '2023-03-14T09:12:44.1234567Z',
    modifiedDateTime: '2025-02-03T16:40:02.7654321Z',
    isTrusted: true,
    cidrs: ['203.0.113.0/24', '2001:db8:1200::/48'],
  }),
  ipNamedLocation({
    id: BRANCH,
    displayName: 'Branch office Rotterdam',
    createdDateTime: '2024-05-21T11:02:10.0000000Z',
    modifiedDateTime: null,
    isTrusted: false,
    cidrs: ['198.51.100.0/25'],
  }),
  countryNamedLocation({
    id: COUNTRIES,
    displayName: 'Allowed countries',
    createdDateTime: '2023-03-14T09:20:01.0000000Z',
    modifiedDateTime: '2024-09-09T08:00:00.0000000Z',
    countries: ['NL', 'BE', 'DE'],
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// Conditional Access policies.

const ADMIN_ROLES = [
  'globalAdministrator',
  'securityAdministrator',
  'exchangeAdministrator',
  'sharePointAdministrator',
  'userAdministrator',
  'helpdeskAdministrator',
  'passwordAdministrator',
  'privilegedRoleAdministrator',
  'privilegedAuthenticationAdministrator',
  'conditionalAccessAdministrator',
  'authenticationAdministrator',
  'applicationAdministrator',
  'cloudApplicationAdministrator',
  'billingAdministrator',
].map((key) => ROLE[key]);

/** A policy as Graph lists it; `fields` holds users, applications, grant, session and the other conditions. */
function policy(key, displayName, state, created, { users, applications, grant, session = null, ...conditions }) {
  return graphPolicy({
    id: guid(`policy:${key}`),
    displayName,
    state,
    createdDateTime: created,
    modifiedDateTime: '2025-10-02T13:37:00.0000000Z',
    session,
    conditions,
    applications,
    users,
    grant,
    annotate: true,
  });
}

function policies(phishingResistant) {
  const breakglass = byUpn('breakglass01').id;
  const emergency02 = byUpn('emergency-access02').id;
  const serviceAccounts = groupId('SG-CA-Exclusions-ServiceAccounts');
  const mfa = { builtInControls: ['mfa'] };
  const block = { builtInControls: ['block'] };
  const excludeTrusted = { includeLocations: ['All'], excludeLocations: ['AllTrusted'] };
  return [
    policy('admins', 'CA001 - Require MFA for administrators', 'enabled', '2023-03-14T10:01:00.0000000Z', {
      users: { includeRoles: ADMIN_ROLES, excludeUsers: [breakglass] },
      grant: mfa,
    }),
    policy('all-users', 'CA002 - Require MFA for all users', 'enabled', '2023-03-14T10:05:00.0000000Z', {
      users: {
        includeUsers: ['All'],
        excludeUsers: [breakglass, emergency02],
        excludeGroups: [serviceAccounts, groupId('SG-CA-Exclusions-Tailspin-ADFS')],
        excludeRoles: [ROLE.directorySynchronizationAccounts],
      },
      clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'],
      locations: excludeTrusted,
      grant: mfa,
    }),
    policy('partner-agents', 'CA003 - Require MFA for partner agents', 'enabled', '2023-04-02T08:30:00.0000000Z', {
      users: { includeGroups: [groupId('AdminAgents'), groupId('HelpdeskAgents')], excludeGroups: [serviceAccounts] },
      grant: mfa,
    }),
    policy(
      'legacy-auth',
      'CA004 - Block legacy authentication',
      'enabledForReportingButNotEnforced',
      '2024-01-15T12:00:00.0000000Z',
      {
        users: { includeUsers: ['All'], excludeUsers: [breakglass], excludeGroups: [serviceAccounts] },
        clientAppTypes: ['exchangeActiveSync', 'other'],
        grant: block,
      },
    ),
    policy(
      'countries',
      'CA005 - Block sign-ins from outside allowed countries',
      'enabled',
      '2023-06-01T07:00:00.0000000Z',
      {
        users: { includeUsers: ['All'], excludeUsers: [breakglass, emergency02] },
        locations: { includeLocations: ['All'], excludeLocations: [COUNTRIES, HQ] },
        grant: block,
      },
    ),
    policy(
      'mobile',
      'CA006 - Mobile: require MFA or an app protection policy',
      'enabled',
      '2024-03-11T09:45:00.0000000Z',
      {
        users: { includeUsers: ['All'], excludeGroups: [serviceAccounts] },
        applications: { includeApplications: ['Office365'] },
        platforms: { includePlatforms: ['android', 'iOS'], excludePlatforms: [] },
        clientAppTypes: ['mobileAppsAndDesktopClients'],
        grant: { operator: 'OR', builtInControls: ['mfa', 'compliantApplication'] },
      },
    ),
    policy('guests', 'CA007 - Require MFA for guests and external users', 'enabled', '2023-09-18T14:20:00.0000000Z', {
      users: { includeGuestsOrExternalUsers: allGuestsOrExternalUsers() },
      grant: mfa,
    }),
    policy(
      'azure-management',
      'CA008 - Phishing-resistant MFA for Azure management (pilot)',
      'disabled',
      '2025-05-06T10:10:00.0000000Z',
      {
        users: { includeRoles: ADMIN_ROLES, excludeUsers: [breakglass] },
        applications: { includeApplications: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'] },
        grant: { operator: 'AND', authenticationStrength: phishingResistant },
      },
    ),
    policy(
      'emergency',
      'CA009 - Phishing-resistant MFA for emergency access',
      'enabled',
      '2025-08-19T15:00:00.0000000Z',
      {
        users: { includeUsers: [emergency02] },
        grant: { operator: 'AND', authenticationStrength: phishingResistant },
      },
    ),
    policy(
      'register-security-info',
      'CA010 - Register security info only from HQ or with MFA',
      'enabled',
      '2023-03-14T10:30:00.0000000Z',
      {
        users: { includeUsers: ['All'], excludeUsers: [breakglass] },
        applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
        locations: excludeTrusted,
        grant: mfa,
      },
    ),
    policy('sign-in-risk', 'CA011 - Require MFA for risky sign-ins', 'enabled', '2024-02-27T09:00:00.0000000Z', {
      users: { includeUsers: ['All'], excludeUsers: [breakglass] },
      signInRiskLevels: ['high', 'medium'],
      grant: mfa,
      session: {
        signInFrequency: {
          isEnabled: true,
          value: null,
          type: null,
          authenticationType: 'primaryAndSecondaryAuthentication',
          frequencyInterval: 'everyTime',
        },
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The registration report (Entra ID P1): every user object, as the report lists them.

function preferredMethods(methods) {
  const system = methods.includes('fido2')
    ? ['Fido2']
    : methods.includes('microsoftAuthenticatorPush')
      ? ['push']
      : methods.includes('mobilePhone')
        ? ['sms']
        : [];
  const secondary = methods.includes('microsoftAuthenticatorPush')
    ? 'push'
    : methods.includes('mobilePhone')
      ? 'sms'
      : 'none';
  return { system, secondary };
}

function registrationJson(p) {
  const guest = p.guest && guestShape[p.guest].userType === 'Guest';
  const adminRoles = p.roles.filter((r) => r !== 'directorySynchronizationAccounts' && r !== 'globalReader');
  const methods = p.methods ?? [];
  const preferred = preferredMethods(methods);
  return registrationDetails({
    id: p.id,
    userPrincipalName: p.upn,
    userDisplayName: p.name,
    userType: guest ? 'guest' : 'member',
    isAdmin: adminRoles.length > 0 || p.groups.includes('SG-Role-Helpdesk-Administrators'),
    isSsprRegistered: p.registered && methods.includes('mobilePhone'),
    isSsprEnabled: !guest,
    isSsprCapable: p.registered && !guest,
    isMfaRegistered: p.registered,
    isMfaCapable: p.registered,
    isPasswordlessCapable: methods.includes('fido2'),
    methodsRegistered: methods,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: preferred.system,
    userPreferredMethodForSecondaryAuthentication: preferred.secondary,
    lastUpdatedDateTime: '2026-11-19T23:10:41.5571222Z',
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Domains, Tailspin's AD FS federation, tenant-wide settings.

const managed = {
  isAdminManaged: true,
  isRoot: true,
  isVerified: true,
  passwordValidityPeriodInDays: 2147483647,
  passwordNotificationWindowInDays: 14,
};
const domains = () => [
  graphDomain({
    id: INITIAL,
    authenticationType: 'Managed',
    isDefault: false,
    isInitial: true,
    ...managed,
    supportedServices: ['Email', 'OfficeCommunicationsOnline'],
  }),
  graphDomain({
    id: PRIMARY,
    authenticationType: 'Managed',
    isDefault: true,
    isInitial: false,
    ...managed,
    supportedServices: ['Email', 'OfficeCommunicationsOnline', 'Intune'],
  }),
  graphDomain({
    id: FEDERATED,
    authenticationType: 'Federated',
    isAdminManaged: true,
    isDefault: false,
    isInitial: false,
    isRoot: true,
    isVerified: true,
    supportedServices: ['Email'],
    passwordValidityPeriodInDays: null,
    passwordNotificationWindowInDays: null,
  }),
];

const tailspinAdfs = () =>
  domainFederation(guid('federation:tailspin'), 'acceptIfMfaDoneByFederatedIdp', {
    displayName: 'Tailspin AD FS',
    issuerUri: 'http://sts.tailspin-it.com/adfs/services/trust',
    metadataExchangeUri: 'https://sts.tailspin-it.com/adfs/services/trust/mex',
    signingCertificate: 'MIIC3jCCAcagAwIBAgIQFakeDemoCertificateOnlyForMfaAuditDemoTenantMA0GCSqGSIb3DQEBCwUA',
    passiveSignInUri: 'https://sts.tailspin-it.com/adfs/ls/',
    preferredAuthenticationProtocol: 'wsFed',
    activeSignInUri: 'https://sts.tailspin-it.com/adfs/services/trust/2005/usernamemixed',
    signOutUri: 'https://sts.tailspin-it.com/adfs/ls/?wa=wsignout1.0',
    promptLoginBehavior: 'nativeSupport',
    isSignedAuthenticationRequestRequired: true,
    nextSigningCertificate: null,
  });

const crossTenant = () =>
  crossTenantDefault(undefined, {
    id: guid('cross-tenant-default'),
    b2bCollaborationInbound: b2bSetting('allowed'),
    b2bCollaborationOutbound: b2bSetting('allowed'),
    b2bDirectConnectInbound: b2bSetting('blocked'),
    b2bDirectConnectOutbound: b2bSetting('blocked'),
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
  });

// ---------------------------------------------------------------------------------------------------------------
// The snapshot.

/** The demo tenant's snapshot (pure: the same object on every call). */
export function buildDemoTenant() {
  const strengths = builtInStrengths();
  const graph = {
    [GRAPH_KEYS.users]: people.map(userJson),
    [GRAPH_KEYS.securityDefaults]: securityDefaults(false, {
      displayName: 'Security Defaults',
      description:
        'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
    }),
    [GRAPH_KEYS.conditionalAccessPolicies]: policies(strengths.phishingResistant),
    [GRAPH_KEYS.namedLocations]: namedLocations(),
    [GRAPH_KEYS.authenticationStrengthPolicies]: [strengths.mfa, strengths.passwordless, strengths.phishingResistant],
    'v1.0/groups': groupDefs.map(groupJson),
  };
  for (const g of groupDefs) Object.assign(graph, groupMembers(g.id, transitiveMembers(g)));
  graph[GRAPH_KEYS.roleAssignments] = roleAssignments();
  graph[GRAPH_KEYS.roleEligibility] = [];
  graph[GRAPH_KEYS.registrationDetails] = people.map(registrationJson);
  for (const p of people) if (!p.noPerUserState) Object.assign(graph, perUserMfa(p.id, p.mfa));
  graph[GRAPH_KEYS.domains] = domains();
  Object.assign(graph, federationConfiguration(FEDERATED, [tailspinAdfs()]));
  graph[GRAPH_KEYS.crossTenantDefault] = crossTenant();
  return snapshot(TENANT_ID, COLLECTED_AT, graph);
}

/** The fixture's text: the snapshot as indented JSON with a final newline. */
export function demoTenantJson() {
  return JSON.stringify(buildDemoTenant(), null, 2) + '\n';
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const demo = buildDemoTenant();
  writeFileSync(DEMO_TENANT_PATH, JSON.stringify(demo, null, 2) + '\n');
  const users = demo.graph[GRAPH_KEYS.users].length;
  console.log(
    `wrote ${DEMO_TENANT_PATH}: ${users} user objects, ${demo.graph[GRAPH_KEYS.conditionalAccessPolicies].length} policies`,
  );
}
