/**
 * A jwt.ms-style explanation, but for this purpose: the claims that decide MFA compliance, each with its meaning,
 * plus the warnings and Partner Center's likely answer. Pure: all times relative to the injected clock.
 */
import {
  AMR_VALUES,
  CLIENT_AUTH,
  GLOBAL_ADMINISTRATOR,
  KNOWN_APPS,
  lookup,
  MSA_TENANT,
  PROFILES,
  ROLE_NAMES,
} from './catalog.js';
import { listed, normaliseAudience } from './checks.js';
import type { Claims, KindEvidence } from './claims.js';
import { num, scopes, str, strList, tokenVersion } from './claims.js';
import { relative, utc } from './time.js';
import type { ClaimExplanation, TokenCheck } from './types.js';

function appName(id: string | undefined): string {
  if (id === undefined) return '';
  const known = lookup(KNOWN_APPS, id.toLowerCase());
  return known ? ` (${known})` : '';
}

/** The tenant id inside an Entra issuer: https://sts.windows.net/{tid}/ or https://login…/{tid}/v2.0. */
export function issuerTenant(iss: string | undefined): string | undefined {
  if (iss === undefined) return undefined;
  const match = /^https:\/\/[^/]+\/([^/]+)\/(?:v2\.0\/?)?$/.exec(iss);
  return match?.[1];
}

/** Entra's authentication-context ids: c1 … c99. */
const AUTH_CONTEXT_ID = /^c(?:[1-9]|[1-9][0-9])$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `idp` of a guest who signed in with a personal Microsoft account (consumer tenant). */
function isPersonalAccountIdp(idp: string | undefined): boolean {
  if (idp === undefined) return false;
  const lower = idp.toLowerCase();
  return lower === 'live.com' || lower === `https://sts.windows.net/${MSA_TENANT}/`;
}

/** The API a token is for, by its audience: a profile's label, else the aud itself. */
function audName(claims: Claims): string {
  const aud = claims.aud;
  if (typeof aud !== 'string' || aud === '') return 'no single audience';
  const profile = Object.values(PROFILES).find((spec) => spec.audiences.some((a) => a === normaliseAudience(aud)));
  return profile?.label ?? aud;
}

/**
 * `wids`: tenant-wide role template ids. Only ids this tool knows as role templates are named as roles; another GUID
 * may be a role template it does not list or another kind of entry, so it is described without calling it a role.
 */
function explainWids(wids: readonly string[]): string {
  if (wids.length === 0) return 'directory roles: none';
  const known = wids.map((id) => lookup(ROLE_NAMES, id.toLowerCase()));
  if (known.every((name) => name !== undefined)) return `directory roles: ${known.join(', ')}`;
  const parts = wids.map((id, i) => {
    const name = known[i];
    if (name !== undefined) return `${name} (directory role template)`;
    return GUID.test(id)
      ? `directory role template or other wids entry ${id}`
      : `${id}: not a directory role template id`;
  });
  return `wids entries: ${parts.join('; ')}`;
}

/** `acrs`: authentication-context ids (c1 … c99) the user satisfied; other values are named as not being ones. */
function explainAcrs(acrs: readonly string[] | undefined): string {
  if (acrs === undefined) return 'not a list of authentication-context ids';
  if (acrs.length === 0) return 'authentication contexts satisfied: none';
  const contexts = acrs.filter((v) => AUTH_CONTEXT_ID.test(v));
  const others = acrs.filter((v) => !AUTH_CONTEXT_ID.test(v));
  const parts: string[] = [];
  if (contexts.length > 0) {
    parts.push(`authentication contexts the user satisfied (Conditional Access step-up): ${listed(contexts)}`);
  }
  if (others.length > 0) parts.push(`not an authentication-context id: ${listed(others)}`);
  return parts.join('; ');
}

function time(claims: Claims, name: string, what: string, nowMs: number): ClaimExplanation | undefined {
  const value = num(claims, name);
  if (value === undefined) {
    return claims[name] === undefined
      ? undefined
      : { claim: name, value: claims[name], meaning: `${what} (not a number)` };
  }
  return { claim: name, value, meaning: `${what}: ${utc(value)} (${relative(value, nowMs)})` };
}

/** Adds a row for a claim when the claim (or the value given) is present. */
type AddRow = (claim: string, meaning: string, value?: unknown) => void;

export function explainClaims(
  header: Record<string, unknown>,
  claims: Claims,
  kind: KindEvidence,
  now: Date,
): ClaimExplanation[] {
  const rows: ClaimExplanation[] = [];
  const add: AddRow = (claim, meaning, value = claims[claim]) => {
    if (value !== undefined) rows.push({ claim, value, meaning });
  };
  explainIssuer(claims, add);
  explainUser(claims, add);
  explainClient(claims, add);
  explainAuthentication(claims, kind, add);
  const nowMs = now.getTime();
  for (const row of [
    time(claims, 'iat', 'issued', nowMs),
    time(claims, 'nbf', 'not before', nowMs),
    time(claims, 'exp', 'expires', nowMs),
    time(claims, 'auth_time', 'user authenticated', nowMs),
  ]) {
    if (row) rows.push(row);
  }

  if (header.alg !== undefined)
    rows.push({
      claim: 'header.alg',
      value: header.alg,
      meaning:
        header.alg === 'RS256'
          ? 'signature algorithm (Entra uses RS256)'
          : 'signature algorithm: Entra signs with RS256',
    });
  if (header.kid !== undefined)
    rows.push({ claim: 'header.kid', value: header.kid, meaning: 'id of the signing key in the JWKS' });
  if (header.nonce !== undefined) {
    rows.push({
      claim: 'header.nonce',
      value: '(present)',
      meaning:
        `a header value Entra hashes (SHA-256) before signing, in tokens for some first-party APIs (this one is for ${audName(claims)}); ` +
        '--verify checks the signature over the hashed value',
    });
  }
  return rows;
}

/** Version, audience, issuer, tenant and identity provider. */
function explainIssuer(claims: Claims, add: AddRow): void {
  const version = tokenVersion(claims);
  add(
    'ver',
    version === '1.0'
      ? 'v1.0 token: carries amr, appid, upn (Partner Center tokens are v1.0)'
      : version === '2.0'
        ? 'v2.0 token: no amr claim, so it cannot show whether MFA happened'
        : 'token version not recognised',
  );
  const aud = claims.aud;
  const audText = typeof aud === 'string' ? aud : undefined;
  const audProfile = audText
    ? (Object.entries(PROFILES).find(([, spec]) => spec.audiences.some((a) => a === normaliseAudience(audText)))?.[1]
        .label ?? 'another API')
    : 'not a single string';
  add('aud', `audience: the API this token is for (${audProfile})`);
  const iss = str(claims, 'iss');
  const tid = str(claims, 'tid');
  add('iss', `issuer: the Entra tenant that signed it${issuerTenant(iss) ? ` (${issuerTenant(iss)})` : ''}`);
  add(
    'tid',
    tid === MSA_TENANT ? 'tenant: the consumer (Microsoft account) tenant' : 'tenant id of the signed-in user or app',
  );
  const idp = str(claims, 'idp');
  if (idp !== undefined) {
    add(
      'idp',
      idp === iss
        ? 'identity provider: the issuing tenant itself'
        : isPersonalAccountIdp(idp)
          ? 'identity provider: a personal Microsoft account (a guest with a consumer account; Partner Center cannot use it)'
          : 'identity provider: another tenant or IdP (a guest sign-in)',
    );
  }
}

/** Who signed in. */
function explainUser(claims: Claims, add: AddRow): void {
  const user = str(claims, 'upn')
    ? 'upn'
    : str(claims, 'unique_name')
      ? 'unique_name'
      : str(claims, 'preferred_username')
        ? 'preferred_username'
        : undefined;
  if (user)
    add(
      user,
      user.includes('#EXT#') || String(claims[user]).includes('#EXT#')
        ? 'user name (a guest: #EXT#)'
        : 'the signed-in user (display only, mutable)',
    );
  add('name', 'display name of the user');
  add('oid', 'object id of the user or service principal');
  add(
    'deviceid',
    'the Entra device id the sign-in came from (present when the device is registered or joined to Entra)',
  );
  add(
    'idtyp',
    claims.idtyp === 'app'
      ? "'app': an App-only token"
      : claims.idtyp === 'user'
        ? "'user': an App+User token"
        : 'token type',
  );
}

/** The client application and how it authenticated. */
function explainClient(claims: Claims, add: AddRow): void {
  const appid = str(claims, 'appid');
  const azp = str(claims, 'azp');
  add('appid', `client application id${appName(appid)}`);
  add('azp', `client application id${appName(azp)}`);
  for (const name of ['appidacr', 'azpacr']) {
    const value = claims[name];
    if (value !== undefined)
      add(name, `client authentication: ${lookup(CLIENT_AUTH, String(value as string | number)) ?? 'unknown value'}`);
  }
  add('app_displayname', 'client application name');
}

/** How the user authenticated, and what the token allows. */
function explainAuthentication(claims: Claims, kind: KindEvidence, add: AddRow): void {
  const amr = strList(claims, 'amr');
  if (claims.amr !== undefined) {
    const parts = (amr ?? []).map(
      (value) => `${value} = ${lookup(AMR_VALUES, value)?.meaning ?? 'not an Entra amr value'}`,
    );
    add('amr', `authentication methods: ${parts.length > 0 ? parts.join('; ') : 'none listed'}`);
  }
  const acr = claims.acr;
  if (acr !== undefined)
    add(
      'acr',
      acr === '0' || acr === 0
        ? "'0': did not meet ISO/IEC 29115 (not an MFA signal)"
        : 'authentication context class (not an MFA signal)',
    );
  const scp = scopes(claims);
  if (claims.scp !== undefined) add('scp', `delegated scopes (App+User): ${scp.join(', ') || 'none'}`);
  const roles = strList(claims, 'roles');
  if (roles !== undefined)
    add('roles', kind.kind === 'app-only' ? 'application permissions (App-only)' : "the user's app roles");
  const wids = strList(claims, 'wids');
  if (wids !== undefined) add('wids', explainWids(wids));
  if (claims.acrs !== undefined) add('acrs', explainAcrs(strList(claims, 'acrs')));
  add('xms_cc', "client capabilities ('cp1': handles claims challenges / CAE)");
}

/** Warnings that do not change the verdict but that a partner should act on. */
export function tokenWarnings(header: Record<string, unknown>, claims: Claims): string[] {
  const warnings: string[] = [];
  const wids = (strList(claims, 'wids') ?? []).map((w) => w.toLowerCase());
  if (wids.includes(GLOBAL_ADMINISTRATOR)) {
    warnings.push(
      'Global Administrator token: for Secure Application Model consent and refresh tokens use a least-privileged ' +
        'account (an Admin Agent without Global Administrator); a stolen Global Administrator refresh token opens the whole partner tenant',
    );
  }
  const iss = str(claims, 'iss');
  const tid = str(claims, 'tid');
  const issTenant = issuerTenant(iss);
  if (issTenant && tid && issTenant.toLowerCase() !== tid.toLowerCase() && !/^[a-z]+$/.test(issTenant)) {
    warnings.push(`the issuer's tenant (${issTenant}) differs from tid (${tid})`);
  }
  if (tid === MSA_TENANT)
    warnings.push('a personal Microsoft account (consumer tenant): Partner Center needs a work account');
  const idp = str(claims, 'idp');
  if (idp && iss && idp !== iss) {
    warnings.push(
      `guest sign-in (idp ${idp}): MFA is proven only if this tenant enforces it or trusts the home tenant's MFA`,
    );
  }
  if (isPersonalAccountIdp(idp) && idp !== iss) {
    warnings.push(
      'a personal Microsoft account guest: a personal Microsoft account cannot be used for Partner Center; sign in with a work account of the partner tenant',
    );
  }
  const alg = header.alg;
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') warnings.push("alg 'none': the token is unsigned");
  return warnings;
}

const PARTNER_CENTER_AUDIENCES = new Set(PROFILES['partner-center'].audiences.map(normaliseAudience));

function isPartnerCenterAudience(aud: unknown): boolean {
  return typeof aud === 'string' && PARTNER_CENTER_AUDIENCES.has(normaliseAudience(aud));
}

/** What Partner Center's API would answer to this token, from the checks already made. */
export function partnerCenterAnswer(claims: Claims, checks: readonly TokenCheck[], kind: KindEvidence): string {
  const status = (id: string) => checks.find((c) => c.id === id)?.status;
  if (!isPartnerCenterAudience(claims.aud)) {
    return '401 Unauthorized: not a Partner Center token (aud is not https://api.partnercenter.microsoft.com)';
  }
  if (status('signature') === 'fail') return '401 Unauthorized: the signature does not verify';
  if (status('lifetime') === 'fail') return '401 Unauthorized: the token is expired or not yet valid';
  if (kind.kind === 'app-only' && kind.certain) {
    return '200 for APIs that support App-only authentication (no MFA needed); operations that need App+User refuse it';
  }
  switch (status('mfa')) {
    case 'pass':
      return "200: amr carries 'mfa'";
    case 'warn':
      return "probably 200: 'ngcmfa' is equivalent to 'mfa' per Entra, but Partner Center's check names 'mfa'";
    case 'unknown':
      return tokenVersion(claims) === '2.0'
        ? 'unknown: this token cannot show MFA (Partner Center tokens are v1.0 and carry amr)'
        : 'unknown: the token does not show whether a user signed in (App-only calls need no MFA; App+User calls without amr are refused)';
    default:
      return '401 Unauthorized - MFA required (WWW-Authenticate: Bearer error="invalid_token")';
  }
}
