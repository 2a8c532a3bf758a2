/**
 * Turns whatever msal-node (or the network under it) throws into ONE line a person can act on, as a
 * CollectionError (exit 3: the audit could not be completed, which is never a pass).
 *
 * Entra's error descriptions carry "AADSTS<n>: <text>" followed by trace and correlation ids and a timestamp on
 * further lines: we keep the code and the first sentence, add advice for the codes people actually hit, and
 * redact anything shaped like a token plus every secret the caller hands us (refresh token, client secret,
 * assertion), so no credential ever reaches stderr or a CI log.
 */
import { CollectionError } from '../errors.js';
import type { ErrorAnswer, NetworkFailure } from './http-client.js';

interface SignInErrorContext {
  /** e.g. "refresh-token exchange", "device code sign-in", "client secret sign-in (app-only)". */
  flow: string;
  authorityHost: string;
  tenantId: string;
  /** Values that must never appear in a message, whatever the server echoes back. */
  secrets: string[];
  lastNetworkFailure?: NetworkFailure | undefined;
  /** The last OAuth error answer seen on the wire, for flows where msal drops the description. */
  lastErrorAnswer?: ErrorAnswer | undefined;
}

/** Advice for the Entra error codes that people meet when signing in to audit MFA. */
const AADSTS_ADVICE: Record<string, string> = {
  '50076':
    'MFA is required for this sign-in: a refresh token obtained without MFA cannot satisfy it (sign in again with MFA, e.g. device code)',
  '50079': 'the user must register for MFA before this sign-in can succeed',
  '50158': 'an external security challenge (e.g. MFA at a federated IdP) was not satisfied',
  '50173': 'the refresh token was revoked (password change or session revocation): get a new one',
  '70000': 'the grant (refresh token or code) is invalid or was issued to another app or tenant',
  '700082': 'the refresh token expired after inactivity: get a new one (Secure Application Model consent)',
  '70008': 'the refresh token or code has expired: get a new one',
  '70011': 'the requested scope is not valid for this app or resource',
  '65001': 'the app has not been consented to in this tenant: have an administrator grant consent',
  '700016': 'the application (client) id is not found in this tenant: check --client-id and --tenant-id',
  '90002': 'the tenant is not found: check --tenant-id (a tenant id or a verified domain)',
  '7000215': 'the client secret is wrong: check the secret (not the secret id) and that it has not expired',
  '7000222': 'the client secret has expired: create a new one',
  '700027': 'the client assertion or certificate is not valid for this app: check the uploaded certificate',
  '700024': 'the client assertion is expired or not yet valid: check the clock and the federated token file',
  '70021': 'no federated identity credential matches the assertion (issuer, subject, audience)',
  '7000218': 'the app needs a client secret or certificate (or allow public client flows for device code)',
  '53003': 'Conditional Access blocked the sign-in',
  '50126': 'the user name or password is wrong',
  '50057': 'the user account is disabled',
};

/** Everything msal errors carry that we read (AuthError, ServerError, ClientAuthError…). */
interface MsalErrorShape {
  errorCode?: unknown;
  errorMessage?: unknown;
  subError?: unknown;
  errorNo?: unknown;
  status?: unknown;
  message?: unknown;
}

export function signInFailure(error: unknown, context: SignInErrorContext): CollectionError {
  const prefix = `${context.flow} at ${context.authorityHost} for tenant ${context.tenantId} failed`;
  const line = `${prefix}: ${describe(error, context)}`;
  return new CollectionError(redact(line, context.secrets));
}

function describe(error: unknown, context: SignInErrorContext): string {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as MsalErrorShape;
  let code = typeof e.errorCode === 'string' ? e.errorCode : '';
  let serverMessage = typeof e.errorMessage === 'string' ? e.errorMessage : '';
  // Device-code polling reports the server's error code as the message of a generic "post_request_failed".
  if (code === 'post_request_failed' && /^[a-z_]+$/.test(serverMessage.trim())) {
    code = serverMessage.trim();
    serverMessage = '';
  }
  const answer = context.lastErrorAnswer;
  if (serverMessage === '' && answer && answer.error === code) serverMessage = answer.description;
  if (code === 'endpoints_resolution_error' && answer) {
    // The authority answered the metadata request with an OAuth error (e.g. AADSTS90002, tenant not found).
    code = answer.error;
    serverMessage = answer.description;
  }
  const aadsts =
    /AADSTS(\d+)/.exec(serverMessage)?.[1] ??
    (typeof e.errorNo === 'string' || typeof e.errorNo === 'number' ? String(e.errorNo) : undefined);

  if (code === 'network_error' || code === 'endpoints_resolution_error' || context.lastNetworkFailure) {
    const failure = context.lastNetworkFailure;
    if (failure?.kind === 'timeout') return `the sign-in authority ${failure.origin} gave ${failure.reason}`;
    if (failure) return `cannot reach the sign-in authority ${failure.origin}: ${failure.reason}`;
    if (code === 'endpoints_resolution_error') return 'the authority metadata (openid-configuration) could not be read';
    return 'cannot reach the sign-in authority';
  }
  if (code === 'device_code_expired' || code === 'user_timeout_reached') {
    return 'nobody completed the device code sign-in before the code expired; run the command again';
  }
  if (code === 'device_code_polling_cancelled') return 'the device code sign-in was cancelled';
  if (code === 'authorization_declined' || serverMessage === 'authorization_declined') {
    return 'the user declined the sign-in';
  }
  if (code === 'expired_token' || serverMessage === 'expired_token') {
    return 'the device code expired before the sign-in was completed; run the command again';
  }
  if (code === 'untrusted_authority' || code === 'authority_uri_insecure' || code === 'url_parse_error') {
    return `the authority ${context.authorityHost} is not a usable https:// sign-in authority (${code})`;
  }
  if (code === 'issuer_validation_failed') {
    return "the authority's openid-configuration names an issuer on another host";
  }
  if (aadsts !== undefined || serverMessage !== '') {
    const parts = [code || 'error'];
    if (aadsts !== undefined) parts.push(`AADSTS${aadsts}`);
    const summary = firstSentence(serverDescription(serverMessage).replace(/^AADSTS\d+:\s*/, ''));
    const advice = aadsts !== undefined ? AADSTS_ADVICE[aadsts] : undefined;
    const tail = [summary, advice].filter((s): s is string => !!s && s !== code).join(' — ');
    return tail ? `${parts.join(' ')}: ${tail}` : parts.join(' ');
  }
  if (code) return code.replace(/_/g, ' ');
  const message = typeof e.message === 'string' ? e.message : 'unknown error';
  return firstSentence(message) ?? 'unknown error';
}

/**
 * msal wraps Entra's error body as "Error(s): … - Timestamp: … - Description: <error_description> - Correlation
 * ID: … - Trace ID: …"; the description is what a person needs.
 */
function serverDescription(message: string): string {
  const wrapped = /Description: ([\s\S]*?)(?: - Correlation ID: [\s\S]*)?$/.exec(message);
  return (wrapped?.[1] ?? message).trim();
}

/** The first line of Entra's description, without the "Trace ID:/Correlation ID:/Timestamp:" trailer. */
function firstSentence(text: string): string | undefined {
  const firstLine = text
    .split(/\r?\n/)[0]
    ?.replace(/\s*(Trace ID|Correlation ID|Timestamp):.*$/i, '')
    .trim();
  if (!firstLine) return undefined;
  return firstLine.length > 240 ? `${firstLine.slice(0, 237)}...` : firstLine;
}

/** Removes every given secret and anything that looks like a JWT from a line. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out.replace(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*/g, '[token]');
}
