/** Well-known ids and value sets of Microsoft Entra that the tenant engine relies on (sources in comments). */

/** Directory role template ids (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  directorySynchronizationAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
  onPremisesDirectorySyncAccount: 'a92aed5d-d78a-4d16-b381-09adb37eb3b0',
} as const;

/** Names of the roles mfa-audit shows by name; others are shown by template id. */
export const ROLE_NAMES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'd29b2b05-8046-44ba-8758-1e26182fcf32': 'Directory Synchronization Accounts',
  'a92aed5d-d78a-4d16-b381-09adb37eb3b0': 'On Premises Directory Sync Account',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': 'Directory Readers',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '4ba39ca4-527c-499a-b93d-d9b492c50246': 'Partner Tier1 Support',
  'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8': 'Partner Tier2 Support',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': 'SharePoint Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  '966707d0-3269-4727-9be2-8c3a10f19b9d': 'Password Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  'b0f54661-2d74-4c50-afa3-1ec803f12efe': 'Billing Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
};

export const SYNC_ROLE_IDS: ReadonlySet<string> = new Set([
  ROLE.directorySynchronizationAccounts,
  ROLE.onPremisesDirectorySyncAccount,
]);

/** Partner Center's agent groups in a partner tenant (DAP/GDAP). */
export const PARTNER_AGENT_GROUPS = ['AdminAgents', 'HelpdeskAgents', 'SalesAgents'] as const;

/** Built-in authentication strengths (authenticationStrengthPolicies list example); all three are MFA-only. */
export const BUILT_IN_STRENGTHS: Record<string, { displayName: string; allowedCombinations: string[] }> = {
  '00000000-0000-0000-0000-000000000002': {
    displayName: 'Multifactor authentication',
    allowedCombinations: [
      'windowsHelloForBusiness',
      'fido2',
      'x509CertificateMultiFactor',
      'deviceBasedPush',
      'temporaryAccessPassOneTime',
      'temporaryAccessPassMultiUse',
      'password,microsoftAuthenticatorPush',
      'password,softwareOath',
      'password,hardwareOath',
      'password,x509CertificateSingleFactor',
      'password,x509CertificateMultiFactor',
      'password,sms',
      'password,voice',
      'federatedMultiFactor',
      'microsoftAuthenticatorPush,federatedSingleFactor',
      'softwareOath,federatedSingleFactor',
      'hardwareOath,federatedSingleFactor',
      'sms,federatedSingleFactor',
      'voice,federatedSingleFactor',
    ],
  },
  '00000000-0000-0000-0000-000000000003': {
    displayName: 'Passwordless MFA',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'],
  },
  '00000000-0000-0000-0000-000000000004': {
    displayName: 'Phishing-resistant MFA',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
  },
};

/** Authentication method modes that are multi-factor on their own (authenticationMethodModes). */
export const MULTI_FACTOR_MODES: ReadonlySet<string> = new Set([
  'windowsHelloForBusiness',
  'fido2',
  'x509CertificateMultiFactor',
  'deviceBasedPush',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
  'federatedMultiFactor',
]);

/** Known single-factor modes; two different known modes together make a multi-factor combination. */
export const SINGLE_FACTOR_MODES: ReadonlySet<string> = new Set([
  'password',
  'voice',
  'hardwareOath',
  'softwareOath',
  'sms',
  'microsoftAuthenticatorPush',
  'email',
  'x509CertificateSingleFactor',
  'federatedSingleFactor',
]);

/** Built-in grant controls that can be met without MFA (every known one except `mfa` and `block`). */
export const NON_MFA_CONTROLS: ReadonlySet<string> = new Set([
  'compliantDevice',
  'domainJoinedDevice',
  'approvedApplication',
  'compliantApplication',
  'passwordChange',
]);

/**
 * Apps known to belong to the Office 365 app group of Conditional Access (learn.microsoft.com/entra/identity/
 * conditional-access/reference-office-365-application-contents). Only resources whose membership is certain are
 * listed: a wrong entry could turn a gap into a pass. An app id not in these tables may or may not belong to a
 * group: the engine then considers both, and a gap that depends on it is `unknown`, never a pass.
 */
export const OFFICE365_APP_IDS: ReadonlySet<string> = new Set([
  '00000002-0000-0ff1-ce00-000000000000', // Office 365 Exchange Online
  '00000003-0000-0ff1-ce00-000000000000', // Office 365 SharePoint Online
  '00000004-0000-0ff1-ce00-000000000000', // Skype for Business Online
  'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', // Microsoft Teams Services
]);

/** Apps known NOT to be in the Office 365 group nor the admin portals group. */
export const NON_GROUPED_APP_IDS: ReadonlySet<string> = new Set([
  '00000003-0000-0000-c000-000000000000', // Microsoft Graph
  'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd', // Partner Center API
  '4990cffe-04e8-4e8b-808a-1175604b879f', // Partner Center
  '797f4846-ba00-4fd7-ba43-dac1f8f63013', // Windows Azure Service Management API
]);

/** Apps known to be Microsoft Admin Portals (and not in Office 365). */
export const ADMIN_PORTAL_APP_IDS: ReadonlySet<string> = new Set([
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', // Azure portal
]);

/**
 * Tenants that own Microsoft's first-party applications (a service principal's appOwnerOrganizationId): only their
 * apps can be in the Office 365 or Microsoft Admin Portals app groups. Generous on purpose: an owner listed here that
 * is not Microsoft's only keeps an app's group membership uncertain, never certain.
 */
export const MICROSOFT_APP_OWNER_TENANTS: ReadonlySet<string> = new Set([
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a', // Microsoft Services
  '72f988bf-86f1-41af-91ab-2d7cd011db47', // Microsoft (corporate tenant)
  '33e01921-4d64-4f8c-a055-5bdaffd5e33d', // Microsoft AME
  'cdc5aeea-15c5-4db6-b079-fcadd2505dc2', // Microsoft PME
  '47df5bb7-e6bc-4256-afb0-dd8c8e3c1ce8', // Microsoft (first-party services, older apps)
]);

/** The legacy MFA service's trusted IPs, which `AllTrusted` also covers and Graph cannot list. */
export const MFA_TRUSTED_IPS_LOCATION = '00000000-0000-0000-0000-000000000000';

/** The Graph permissions that unlock each snapshot key, for `unknown` reasons. */
export const PERMISSION_HINTS = {
  policies: 'Policy.Read.All',
  groups: 'GroupMember.Read.All',
  roles: 'RoleManagement.Read.Directory',
  registration: 'AuditLog.Read.All',
  perUser: 'Policy.Read.All',
  domains: 'Domain.Read.All',
} as const;

/** The guestOrExternalUserTypes values mfa-audit knows (conditionalAccessGuestOrExternalUserTypes). */
export const KNOWN_GUEST_TYPES: ReadonlySet<string> = new Set([
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'otherExternalUser',
  'serviceProvider',
]);
