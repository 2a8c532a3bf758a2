/**
 * What Entra's claim values mean, from Microsoft's access-token claims reference (amr, acr, appidacr/azpacr, idtyp)
 * and Partner Center's MFA requirement for App+User tokens. Pure data.
 */
import type { Profile } from './types.js';

export interface AmrMeaning {
  meaning: string;
  /** Whether this value alone shows that MFA happened. */
  mfa: 'yes' | 'equivalent' | 'no' | 'indeterminate';
}

/** The nine `amr` values Entra documents. Anything else is shown as "not an Entra value". */
export const AMR_VALUES: Readonly<Record<string, AmrMeaning>> = {
  pwd: { meaning: 'password (a user password, or a client secret)', mfa: 'no' },
  rsa: { meaning: 'proof of an RSA key (e.g. Microsoft Authenticator) or a certificate-signed assertion', mfa: 'no' },
  otp: { meaning: 'one-time passcode by email or text message', mfa: 'no' },
  fed: {
    meaning: 'a federated assertion (SAML/JWT from another identity provider); MFA counts only if the IdP passed it on',
    mfa: 'no',
  },
  wia: { meaning: 'Windows Integrated Authentication', mfa: 'no' },
  mfa: { meaning: 'multi-factor authentication was performed (the value Partner Center checks for)', mfa: 'yes' },
  ngcmfa: {
    meaning: "equivalent to 'mfa' per Entra, used for provisioning advanced credential types (e.g. Windows Hello)",
    mfa: 'equivalent',
  },
  wiaormfa: {
    meaning: 'Windows Integrated Authentication OR an MFA credential: proves nothing on its own',
    mfa: 'indeterminate',
  },
  none: { meaning: 'no completed authentication', mfa: 'no' },
};

/** Directory role template ids seen in `wids` (Entra permissions reference). */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  'fdd7a751-b60b-444a-984c-02652fe8fa1c': 'Groups Administrator',
  '95e79109-95c0-4d8e-aee3-d01accf2d47b': 'Guest Inviter',
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': 'Directory Readers',
  'b79fbf4d-3ef9-4689-8143-76b194e85509': 'User (default member role)',
};

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/** appidacr / azpacr: how the client application authenticated. */
export const CLIENT_AUTH: Readonly<Record<string, string>> = {
  '0': 'public client (no client secret or certificate, e.g. a CLI or desktop app)',
  '1': 'confidential client with a client secret',
  '2': 'confidential client with a certificate',
};

/** Well-known first-party client application ids. */
export const KNOWN_APPS: Readonly<Record<string, string>> = {
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'Microsoft Azure CLI',
  '1950a258-227b-4e31-a9cf-717495945fc2': 'Microsoft Azure PowerShell',
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': 'Microsoft Graph Command Line Tools',
  'de8bc8b5-d9f9-48b1-a8ad-b748da725064': 'Graph Explorer',
  'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd': 'Microsoft Partner Center',
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '797f4846-ba00-4fd7-ba43-dac1f8f63013': 'Azure Service Management (ARM)',
};

/** The consumer (Microsoft account) tenant. */
export const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface ProfileSpec {
  label: string;
  /** Accepted `aud` values (compared without a trailing slash, case-insensitively). Empty: any audience. */
  audiences: readonly string[];
  /** Delegated scope the token must carry; undefined: none required. */
  scope?: string;
}

const PARTNER_CENTER_APP_ID = 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd';

export const PROFILES: Readonly<Record<Profile, ProfileSpec>> = {
  'partner-center': {
    label: 'Partner Center API',
    audiences: [
      'https://api.partnercenter.microsoft.com',
      PARTNER_CENTER_APP_ID,
      // Partner Center operated by 21Vianet (China).
      'https://partner.partnercenterapi.microsoftonline.cn',
    ],
    scope: 'user_impersonation',
  },
  graph: {
    label: 'Microsoft Graph',
    audiences: [
      'https://graph.microsoft.com',
      '00000003-0000-0000-c000-000000000000',
      'https://graph.microsoft.us',
      'https://dod-graph.microsoft.us',
      'https://microsoftgraph.chinacloudapi.cn',
    ],
  },
  arm: {
    label: 'Azure Resource Manager',
    audiences: [
      'https://management.azure.com',
      'https://management.core.windows.net',
      '797f4846-ba00-4fd7-ba43-dac1f8f63013',
      'https://management.usgovcloudapi.net',
      'https://management.core.usgovcloudapi.net',
      'https://management.chinacloudapi.cn',
      'https://management.core.chinacloudapi.cn',
    ],
    scope: 'user_impersonation',
  },
  any: { label: 'any API', audiences: [] },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as Profile[];

/** A catalog entry, only when the table itself holds the key ('constructor' or '__proto__' are not entries). */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
