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
// Everything is in the snapshot format of the contract (raw Graph JSON keyed by request path), and every id is
// derived from a name, so the file is the same on every run: `node scripts/generate-demo-tenant.js`.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const out = new URL('../fixtures/demo-tenant.json', import.meta.url);

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

const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  directorySynchronizationAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
};

// ---------------------------------------------------------------------------------------------------------------
// People and other user objects. `groups` are the groups the user is a direct member of; `roles` direct role
// assignments; `mfa` the per-user (legacy) MFA state; `registered` isMfaRegistered in the registration report.

const people = [];
function person(p) {
  const upn = p.upn.includes('@') ? p.upn : `${p.upn}@${PRIMARY}`;
  people.push({ groups: [], roles: [], mfa: 'disabled', registered: true, enabled: true, ...p, upn });
}

// Administrators, all in AdminAgents (legacy DAP: Global Administrator in every customer tenant).
person({ upn: 'adele.vance', name: 'Adele Vance', title: 'Managing Director', groups: ['AdminAgents'], roles: ['globalAdministrator'], methods: ['microsoftAuthenticatorPush', 'fido2'] });
person({ upn: 'diego.siciliani', name: 'Diego Siciliani', title: 'Head of Cloud Operations', groups: ['AdminAgents'], roles: ['globalAdministrator'], methods: ['microsoftAuthenticatorPush'] });
person({ upn: 'megan.bowen', name: 'Megan Bowen', title: 'Security Lead', groups: ['AdminAgents'], roles: ['securityAdministrator'], methods: ['fido2', 'microsoftAuthenticatorPush'] });
person({ upn: 'lee.gu', name: 'Lee Gu', title: 'Senior Cloud Engineer', groups: ['AdminAgents', 'SG-Role-Helpdesk-Administrators'], methods: ['microsoftAuthenticatorPush'] });
person({ upn: 'isaiah.langer', name: 'Isaiah Langer', title: 'Cloud Engineer', groups: ['AdminAgents'], methods: ['softwareOneTimePasscode'] });
person({ upn: 'christie.cline', name: 'Christie Cline', title: 'Messaging Engineer', roles: ['exchangeAdministrator'], methods: ['microsoftAuthenticatorPush'] });

// Helpdesk agents; Tier 2 is a nested group inside HelpdeskAgents.
person({ upn: 'johanna.lorenz', name: 'Johanna Lorenz', title: 'Service Desk Lead', groups: ['HelpdeskAgents'], methods: ['microsoftAuthenticatorPush'] });
person({ upn: 'lidia.holloway', name: 'Lidia Holloway', title: 'Service Desk Engineer', groups: ['HelpdeskAgents'], methods: ['mobilePhone'] });
person({ upn: 'pradeep.gupta', name: 'Pradeep Gupta', title: 'Service Desk Engineer', groups: ['HelpdeskAgents'], registered: false, methods: [] });
person({ upn: 'grady.archie', name: 'Grady Archie', title: 'Service Desk Engineer (Tier 2)', groups: ['Helpdesk-Tier2'], methods: ['microsoftAuthenticatorPush'] });
person({ upn: 'joni.sherman', name: 'Joni Sherman', title: 'Service Desk Engineer (Tier 2)', groups: ['Helpdesk-Tier2', 'SG-Role-Helpdesk-Administrators'], methods: ['microsoftAuthenticatorPush'] });

// Sales agents: left out of the partner-agent policy ("they have no admin access to customers").
person({ upn: 'alex.wilber', name: 'Alex Wilber', title: 'Account Manager', groups: ['SalesAgents'], methods: ['mobilePhone'] });
person({ upn: 'nestor.wilke', name: 'Nestor Wilke', title: 'Account Manager', groups: ['SalesAgents'], methods: ['microsoftAuthenticatorPush'] });
person({ upn: 'patti.fernandez', name: 'Patti Fernandez', title: 'Sales Director', groups: ['SalesAgents'], mfa: 'enforced', methods: ['microsoftAuthenticatorPush'] });
person({ upn: 'lynne.robbins', name: 'Lynne Robbins', title: 'Inside Sales', groups: ['SalesAgents'], mfa: 'enabled', methods: ['mobilePhone'] });
person({ upn: 'miriam.graham', name: 'Miriam Graham', title: 'Partner Development Manager', groups: ['SalesAgents'], methods: ['microsoftAuthenticatorPush'] });

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
person({ upn: `megan_contoso.com#EXT#@${INITIAL}`, name: 'Megan (Contoso)', title: null, guest: 'entra', mail: 'megan@contoso.com', methods: ['microsoftAuthenticatorPush'] });
person({ upn: `raj.patel_fabrikam.com#EXT#@${INITIAL}`, name: 'Raj Patel (Fabrikam)', title: null, guest: 'entra', mail: 'raj.patel@fabrikam.com', methods: ['microsoftAuthenticatorPush'] });
person({ upn: `it-support_adatum.com#EXT#@${INITIAL}`, name: 'Adatum IT Support', title: null, guest: 'entra', mail: 'it-support@adatum.com', methods: ['mobilePhone'] });
person({ upn: `kim.lee_woodgrovebank.com#EXT#@${INITIAL}`, name: 'Kim Lee (Woodgrove Bank)', title: null, guest: 'pending', mail: 'kim.lee@woodgrovebank.com', methods: [], registered: false });
person({ upn: `sam.taylor_outlook.com#EXT#@${INITIAL}`, name: 'Sam Taylor', title: null, guest: 'msa', mail: 'sam.taylor@outlook.com', methods: ['mobilePhone'] });
person({ upn: `freelance.designer_gmail.com#EXT#@${INITIAL}`, name: 'Freelance designer', title: null, guest: 'otp', mail: 'freelance.designer@gmail.com', methods: ['email'], registered: false });
person({ upn: 'contractor.jones', name: 'Chris Jones (contractor)', title: 'Contractor', guest: 'internal', methods: ['mobilePhone'] });
person({ upn: `ravi_litware.com#EXT#@${INITIAL}`, name: 'Ravi Kumar (Litware)', title: 'Alliance Manager', guest: 'b2bMember', mail: 'ravi@litware.com', methods: ['microsoftAuthenticatorPush'] });

// Service accounts, in the CA exclusion group; the PSA sync account is also in AdminAgents.
person({ upn: 'svc-scanner', name: 'Scan to e-mail (MFP 2nd floor)', title: null, groups: ['SG-CA-Exclusions-ServiceAccounts'], registered: false, methods: [] });
person({ upn: 'svc-backup', name: 'M365 backup service', title: null, groups: ['SG-CA-Exclusions-ServiceAccounts'], registered: false, methods: [] });
person({ upn: 'svc-psa-sync', name: 'PSA ticket sync', title: null, groups: ['SG-CA-Exclusions-ServiceAccounts', 'AdminAgents'], roles: ['globalReader'], registered: false, methods: [] });
// Not named like a service account: only `--service-accounts '^powerbi[.]'` makes it one (docs/tenant.md).
person({ upn: 'powerbi.reports', name: 'Power BI reporting', title: null, groups: ['SG-CA-Exclusions-ServiceAccounts'], registered: false, methods: [] });

// Emergency access: the first is excluded from everything; the second shows the fix (phishing-resistant MFA).
person({ upn: `breakglass01@${INITIAL}`, name: 'Break Glass 01', title: null, roles: ['globalAdministrator'], registered: false, methods: [] });
person({ upn: `emergency-access02@${INITIAL}`, name: 'Emergency Access 02', title: null, roles: ['globalAdministrator'], methods: ['fido2'] });

// Entra Connect's sync account: the one exception the partner requirements state.
person({ upn: `Sync_NWC-DC01_8f3a2c1b9d4e@${INITIAL}`, name: 'On-Premises Directory Synchronization Service Account', title: null, roles: ['directorySynchronizationAccounts'], registered: false, methods: [], noPerUserState: true });

// Cannot sign in: leavers, a shared mailbox, a room.
person({ upn: 'joe.leaver', name: 'Joe Leaver', title: 'Account Manager (left 2026-06)', groups: ['SalesAgents'], enabled: false, methods: ['mobilePhone'] });
person({ upn: 'pieter.oud', name: 'Pieter Oud', title: 'Cloud Engineer (left 2025-12)', enabled: false, methods: ['microsoftAuthenticatorPush'] });
person({ upn: 'info', name: 'Info mailbox', title: null, enabled: false, registered: false, methods: [], noPerUserState: true });
person({ upn: 'room-amsterdam-boardroom', name: 'Amsterdam Boardroom', title: null, enabled: false, registered: false, methods: [], noPerUserState: true });

// ---------------------------------------------------------------------------------------------------------------
// Graph shapes.

for (const p of people) p.id = guid(`user:${p.upn.toLowerCase()}`);
const byUpn = (upn) => {
  const found = people.find((p) => p.upn.toLowerCase().startsWith(upn.toLowerCase()));
  if (!found) throw new Error(`no demo user ${upn}`);
  return found;
};

const guestShape = {
  entra: { userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted', issuer: 'ExternalAzureAD' },
  pending: { userType: 'Guest', creationType: 'Invitation', externalUserState: 'PendingAcceptance', issuer: 'ExternalAzureAD' },
  msa: { userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted', issuer: 'MicrosoftAccount' },
  otp: { userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted', issuer: 'mail' },
  b2bMember: { userType: 'Member', creationType: 'Invitation', externalUserState: 'Accepted', issuer: 'ExternalAzureAD' },
  internal: { userType: 'Guest', creationType: null, externalUserState: null, issuer: null },
};

function userJson(p) {
  const g = p.guest ? guestShape[p.guest] : undefined;
  const identities =
    g?.issuer != null
      ? [{ signInType: 'federated', issuer: g.issuer, issuerAssignedId: null }]
      : [{ signInType: 'userPrincipalName', issuer: INITIAL, issuerAssignedId: p.upn }];
  return {
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
  };
}

// Groups: the partner agent groups Partner Center created, a nested tier-2 group, CA exclusion groups and a
// role-assignable group that holds Helpdesk Administrator.
const groupDefs = [
  { name: 'AdminAgents', description: 'Partner Center admin agents (created by Partner Center)' },
  { name: 'HelpdeskAgents', description: 'Partner Center helpdesk agents (created by Partner Center)', nested: ['Helpdesk-Tier2'] },
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

function directMembers(name) {
  return people.filter((p) => p.groups.includes(name));
}

/** `GET /groups/{id}/transitiveMembers?$select=id,displayName,userPrincipalName`: users and nested groups. */
function transitiveMembers(name) {
  const def = groupDefs.find((d) => d.name === name);
  const members = [];
  const seen = new Set();
  const addUsers = (groupName) => {
    for (const p of directMembers(groupName)) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      members.push({ '@odata.type': '#microsoft.graph.user', id: p.id, displayName: p.name, userPrincipalName: p.upn });
    }
  };
  addUsers(name);
  for (const nested of def.nested ?? []) {
    members.push({ '@odata.type': '#microsoft.graph.group', id: groupId(nested), displayName: nested });
    addUsers(nested);
  }
  return members;
}

function groupJson(g) {
  return {
    id: g.id,
    displayName: g.name,
    description: g.description,
    groupTypes: [],
    mailEnabled: false,
    securityEnabled: true,
    isAssignableToRole: g.roleAssignable === true ? true : null,
  };
}

// Role assignments (`$expand=principal`), tenant-wide.
const roleAssignments = [];
function assign(roleKey, principal) {
  const roleDefinitionId = ROLE[roleKey];
  roleAssignments.push({
    id: guid(`assignment:${roleKey}:${principal.id}`),
    principalId: principal.id,
    roleDefinitionId,
    directoryScopeId: '/',
    appScopeId: null,
    condition: null,
    principal,
  });
}
for (const p of people) {
  for (const role of p.roles) {
    assign(role, { '@odata.type': '#microsoft.graph.user', id: p.id, displayName: p.name, userPrincipalName: p.upn });
  }
}
assign('helpdeskAdministrator', {
  '@odata.type': '#microsoft.graph.group',
  id: groupId('SG-Role-Helpdesk-Administrators'),
  displayName: 'SG-Role-Helpdesk-Administrators',
});
assign('globalReader', {
  '@odata.type': '#microsoft.graph.servicePrincipal',
  id: guid('sp:monitoring'),
  displayName: 'Northwind tenant monitoring',
  appId: guid('app:monitoring'),
});

// Named locations.
const HQ = guid('location:hq');
const BRANCH = guid('location:branch');
const COUNTRIES = guid('location:allowed-countries');
const namedLocations = [
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: HQ,
    displayName: 'HQ',
    createdDateTime: '2023-03-14T09:12:44.1234567Z',
    modifiedDateTime: '2025-02-03T16:40:02.7654321Z',
    isTrusted: true,
    ipRanges: [
      { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' },
      { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:1200::/48' },
    ],
  },
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: BRANCH,
    displayName: 'Branch office Rotterdam',
    createdDateTime: '2024-05-21T11:02:10.0000000Z',
    modifiedDateTime: null,
    isTrusted: false,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '198.51.100.0/25' }],
  },
  {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    id: COUNTRIES,
    displayName: 'Allowed countries',
    createdDateTime: '2023-03-14T09:20:01.0000000Z',
    modifiedDateTime: '2024-09-09T08:00:00.0000000Z',
    countriesAndRegions: ['NL', 'BE', 'DE'],
    includeUnknownCountriesAndRegions: false,
    countryLookupMethod: 'clientIpAddress',
  },
];

// Authentication strengths: the three built-ins, as Graph lists them.
const MFA_COMBINATIONS = [
  'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush',
  'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse',
  'password,microsoftAuthenticatorPush', 'password,softwareOath', 'password,hardwareOath',
  'password,x509CertificateSingleFactor', 'password,x509CertificateMultiFactor', 'password,sms', 'password,voice',
  'federatedMultiFactor', 'microsoftAuthenticatorPush,federatedSingleFactor', 'softwareOath,federatedSingleFactor',
  'hardwareOath,federatedSingleFactor', 'sms,federatedSingleFactor', 'voice,federatedSingleFactor',
];
function builtInStrength(n, displayName, description, allowedCombinations) {
  return {
    id: `00000000-0000-0000-0000-00000000000${n}`,
    createdDateTime: '2021-12-01T00:00:00Z',
    modifiedDateTime: '2021-12-01T00:00:00Z',
    displayName,
    description,
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations,
    combinationConfigurations: [],
  };
}
const strengths = [
  builtInStrength(2, 'Multifactor authentication', 'Combinations of methods that satisfy strong authentication, such as a password + SMS', MFA_COMBINATIONS),
  builtInStrength(3, 'Passwordless MFA', 'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator', ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush']),
  builtInStrength(4, 'Phishing-resistant MFA', 'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key', ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']),
];
const phishingResistant = strengths[2];

// Conditional Access policies.
const ADMIN_ROLES = [
  'globalAdministrator', 'securityAdministrator', 'exchangeAdministrator', 'sharePointAdministrator',
  'userAdministrator', 'helpdeskAdministrator', 'passwordAdministrator', 'privilegedRoleAdministrator',
  'privilegedAuthenticationAdministrator', 'conditionalAccessAdministrator', 'authenticationAdministrator',
  'applicationAdministrator', 'cloudApplicationAdministrator', 'billingAdministrator',
].map((key) => ROLE[key]);

const breakglass = byUpn('breakglass01');
const emergency02 = byUpn('emergency-access02');

function policy(key, displayName, state, created, { users = {}, applications = {}, grant, session = null, ...conditions }) {
  const id = guid(`policy:${key}`);
  return {
    id,
    templateId: null,
    displayName,
    createdDateTime: created,
    modifiedDateTime: '2025-10-02T13:37:00.0000000Z',
    state,
    sessionControls: session,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      servicePrincipalRiskLevels: [],
      insiderRiskLevels: null,
      platforms: null,
      locations: null,
      devices: null,
      clientApplications: null,
      authenticationFlows: null,
      ...conditions,
      applications: {
        includeApplications: ['All'],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
        applicationFilter: null,
        ...applications,
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
        ...users,
      },
    },
    grantControls: {
      operator: 'OR',
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      [`authenticationStrength@odata.context`]: `https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('${id}')/grantControls/authenticationStrength/$entity`,
      authenticationStrength: null,
      ...grant,
    },
  };
}

const policies = [
  policy('admins', 'CA001 - Require MFA for administrators', 'enabled', '2023-03-14T10:01:00.0000000Z', {
    users: { includeRoles: ADMIN_ROLES, excludeUsers: [breakglass.id] },
    grant: { builtInControls: ['mfa'] },
  }),
  policy('all-users', 'CA002 - Require MFA for all users', 'enabled', '2023-03-14T10:05:00.0000000Z', {
    users: {
      includeUsers: ['All'],
      excludeUsers: [breakglass.id, emergency02.id],
      excludeGroups: [groupId('SG-CA-Exclusions-ServiceAccounts'), groupId('SG-CA-Exclusions-Tailspin-ADFS')],
      excludeRoles: [ROLE.directorySynchronizationAccounts],
    },
    clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'],
    locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
    grant: { builtInControls: ['mfa'] },
  }),
  policy('partner-agents', 'CA003 - Require MFA for partner agents', 'enabled', '2023-04-02T08:30:00.0000000Z', {
    users: {
      includeGroups: [groupId('AdminAgents'), groupId('HelpdeskAgents')],
      excludeGroups: [groupId('SG-CA-Exclusions-ServiceAccounts')],
    },
    grant: { builtInControls: ['mfa'] },
  }),
  policy('legacy-auth', 'CA004 - Block legacy authentication', 'enabledForReportingButNotEnforced', '2024-01-15T12:00:00.0000000Z', {
    users: { includeUsers: ['All'], excludeUsers: [breakglass.id], excludeGroups: [groupId('SG-CA-Exclusions-ServiceAccounts')] },
    clientAppTypes: ['exchangeActiveSync', 'other'],
    grant: { builtInControls: ['block'] },
  }),
  policy('countries', 'CA005 - Block sign-ins from outside allowed countries', 'enabled', '2023-06-01T07:00:00.0000000Z', {
    users: { includeUsers: ['All'], excludeUsers: [breakglass.id, emergency02.id] },
    locations: { includeLocations: ['All'], excludeLocations: [COUNTRIES, HQ] },
    grant: { builtInControls: ['block'] },
  }),
  policy('mobile', 'CA006 - Mobile: require MFA or an app protection policy', 'enabled', '2024-03-11T09:45:00.0000000Z', {
    users: { includeUsers: ['All'], excludeGroups: [groupId('SG-CA-Exclusions-ServiceAccounts')] },
    applications: { includeApplications: ['Office365'] },
    platforms: { includePlatforms: ['android', 'iOS'], excludePlatforms: [] },
    clientAppTypes: ['mobileAppsAndDesktopClients'],
    grant: { operator: 'OR', builtInControls: ['mfa', 'compliantApplication'] },
  }),
  policy('guests', 'CA007 - Require MFA for guests and external users', 'enabled', '2023-09-18T14:20:00.0000000Z', {
    users: {
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest,b2bCollaborationMember,otherExternalUser',
        externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
      },
    },
    grant: { builtInControls: ['mfa'] },
  }),
  policy('azure-management', 'CA008 - Phishing-resistant MFA for Azure management (pilot)', 'disabled', '2025-05-06T10:10:00.0000000Z', {
    users: { includeRoles: ADMIN_ROLES, excludeUsers: [breakglass.id] },
    applications: { includeApplications: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'] },
    grant: { operator: 'AND', authenticationStrength: phishingResistant },
  }),
  policy('emergency', 'CA009 - Phishing-resistant MFA for emergency access', 'enabled', '2025-08-19T15:00:00.0000000Z', {
    users: { includeUsers: [emergency02.id] },
    grant: { operator: 'AND', authenticationStrength: phishingResistant },
  }),
  policy('register-security-info', 'CA010 - Register security info only from HQ or with MFA', 'enabled', '2023-03-14T10:30:00.0000000Z', {
    users: { includeUsers: ['All'], excludeUsers: [breakglass.id] },
    applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
    locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
    grant: { builtInControls: ['mfa'] },
  }),
  policy('sign-in-risk', 'CA011 - Require MFA for risky sign-ins', 'enabled', '2024-02-27T09:00:00.0000000Z', {
    users: { includeUsers: ['All'], excludeUsers: [breakglass.id] },
    signInRiskLevels: ['high', 'medium'],
    grant: { builtInControls: ['mfa'] },
    session: { signInFrequency: { isEnabled: true, value: null, type: null, authenticationType: 'primaryAndSecondaryAuthentication', frequencyInterval: 'everyTime' } },
  }),
];

// The registration report (Entra ID P1): every user object, as the report lists them.
function registrationJson(p) {
  const guest = p.guest && guestShape[p.guest].userType === 'Guest';
  const adminRoles = p.roles.filter((r) => r !== 'directorySynchronizationAccounts' && r !== 'globalReader');
  const methods = p.methods ?? [];
  return {
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
    systemPreferredAuthenticationMethods: methods.includes('fido2') ? ['Fido2'] : methods.includes('microsoftAuthenticatorPush') ? ['push'] : methods.includes('mobilePhone') ? ['sms'] : [],
    userPreferredMethodForSecondaryAuthentication: methods.includes('microsoftAuthenticatorPush') ? 'push' : methods.includes('mobilePhone') ? 'sms' : 'none',
    lastUpdatedDateTime: '2026-11-19T23:10:41.5571222Z',
  };
}

const domains = [
  { id: INITIAL, authenticationType: 'Managed', isAdminManaged: true, isDefault: false, isInitial: true, isRoot: true, isVerified: true, supportedServices: ['Email', 'OfficeCommunicationsOnline'], passwordValidityPeriodInDays: 2147483647, passwordNotificationWindowInDays: 14 },
  { id: PRIMARY, authenticationType: 'Managed', isAdminManaged: true, isDefault: true, isInitial: false, isRoot: true, isVerified: true, supportedServices: ['Email', 'OfficeCommunicationsOnline', 'Intune'], passwordValidityPeriodInDays: 2147483647, passwordNotificationWindowInDays: 14 },
  { id: FEDERATED, authenticationType: 'Federated', isAdminManaged: true, isDefault: false, isInitial: false, isRoot: true, isVerified: true, supportedServices: ['Email'], passwordValidityPeriodInDays: null, passwordNotificationWindowInDays: null },
];

const federation = [
  {
    '@odata.type': '#microsoft.graph.internalDomainFederation',
    id: guid('federation:tailspin'),
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
    federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp',
  },
];

const graph = {
  'v1.0/users': people.map(userJson),
  'v1.0/policies/identitySecurityDefaultsEnforcementPolicy': {
    id: '00000000-0000-0000-0000-000000000005',
    displayName: 'Security Defaults',
    description:
      'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
    isEnabled: false,
  },
  'v1.0/identity/conditionalAccess/policies': policies,
  'v1.0/identity/conditionalAccess/namedLocations': namedLocations,
  'v1.0/policies/authenticationStrengthPolicies': strengths,
  'v1.0/groups': groupDefs.map(groupJson),
};
for (const g of groupDefs) graph[`v1.0/groups/${g.id}/transitiveMembers`] = transitiveMembers(g.name);
graph['v1.0/roleManagement/directory/roleAssignments'] = roleAssignments;
graph['v1.0/roleManagement/directory/roleEligibilityScheduleInstances'] = [];
graph['v1.0/reports/authenticationMethods/userRegistrationDetails'] = people.map(registrationJson);
for (const p of people) {
  if (p.noPerUserState) continue;
  graph[`beta/users/${p.id}/authentication/requirements`] = { perUserMfaState: p.mfa };
}
graph['v1.0/domains'] = domains;
graph[`v1.0/domains/${FEDERATED}/federationConfiguration`] = federation;
graph['v1.0/policies/crossTenantAccessPolicy/default'] = {
  id: guid('cross-tenant-default'),
  isServiceDefault: true,
  inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
  b2bCollaborationInbound: {
    usersAndGroups: { accessType: 'allowed', targets: [{ target: 'AllUsers', targetType: 'user' }] },
    applications: { accessType: 'allowed', targets: [{ target: 'AllApplications', targetType: 'application' }] },
  },
  b2bCollaborationOutbound: {
    usersAndGroups: { accessType: 'allowed', targets: [{ target: 'AllUsers', targetType: 'user' }] },
    applications: { accessType: 'allowed', targets: [{ target: 'AllApplications', targetType: 'application' }] },
  },
  b2bDirectConnectInbound: {
    usersAndGroups: { accessType: 'blocked', targets: [{ target: 'AllUsers', targetType: 'user' }] },
    applications: { accessType: 'blocked', targets: [{ target: 'AllApplications', targetType: 'application' }] },
  },
  b2bDirectConnectOutbound: {
    usersAndGroups: { accessType: 'blocked', targets: [{ target: 'AllUsers', targetType: 'user' }] },
    applications: { accessType: 'blocked', targets: [{ target: 'AllApplications', targetType: 'application' }] },
  },
  automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
};

const snapshot = { format: 'mfa-audit-snapshot/1', tenantId: TENANT_ID, collectedAt: COLLECTED_AT, graph };
writeFileSync(out, JSON.stringify(snapshot, null, 2) + '\n');
console.log(`wrote ${out.pathname}: ${people.length} user objects, ${policies.length} policies`);
