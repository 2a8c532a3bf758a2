/**
 * Where signing keys may come from. Keys are fetched only from Microsoft Entra authority hosts (public and national
 * clouds), chosen from a fixed table by the token's `iss`; never from a host the token names otherwise.
 */
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { describeCause, networkCause } from '../graph/network-errors.js';

/** Issuer host → authority host that serves the tenant's keys. */
const ENTRA_AUTHORITY_HOSTS: Readonly<Record<string, string>> = {
  // Public cloud (v1 issuer sts.windows.net, v2 issuer login.microsoftonline.com).
  'sts.windows.net': 'login.microsoftonline.com',
  'login.microsoftonline.com': 'login.microsoftonline.com',
  'login.windows.net': 'login.microsoftonline.com',
  'login.microsoft.com': 'login.microsoftonline.com',
  // US Government.
  'login.microsoftonline.us': 'login.microsoftonline.us',
  'login.usgovcloudapi.net': 'login.microsoftonline.us',
  // China (21Vianet).
  'sts.chinacloudapi.cn': 'login.chinacloudapi.cn',
  'login.chinacloudapi.cn': 'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn': 'login.partner.microsoftonline.cn',
  // Microsoft's pre-production environment (Partner Center PPE).
  'sts.windows-ppe.net': 'login.windows-ppe.net',
  'login.windows-ppe.net': 'login.windows-ppe.net',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The v1 issuer host (`sts.…`) paired with the v2 issuer host of the same cloud, from the table above:
 * sts.windows.net ↔ login.microsoftonline.com, sts.chinacloudapi.cn ↔ login.chinacloudapi.cn, sts.windows-ppe.net ↔
 * login.windows-ppe.net. A cloud without an `sts.` host in the table has no pair.
 */
const V1_TO_V2_HOST: ReadonlyMap<string, string> = new Map(
  Object.entries(ENTRA_AUTHORITY_HOSTS).filter(([host]) => host.startsWith('sts.')),
);
const V2_TO_V1_HOST: ReadonlyMap<string, string> = new Map([...V1_TO_V2_HOST].map(([v1, v2]) => [v2, v1]));

/**
 * The same tenant's issuer in the other token version: `https://sts.windows.net/{T}/` ↔
 * `https://login.microsoftonline.com/{T}/v2.0` (and the national-cloud pairs above), with the tenant GUID it names;
 * undefined for anything else. Microsoft.IdentityModel's AadIssuerValidator treats the two as one tenant's issuers.
 */
export function otherVersionIssuer(issuer: string): { issuer: string; tenant: string } | undefined {
  const v1 = /^https:\/\/([^/]+)\/([^/]+)\/$/.exec(issuer);
  const v2 = /^https:\/\/([^/]+)\/([^/]+)\/v2\.0$/.exec(issuer);
  const match = v1 ?? v2;
  const host = match?.[1];
  const tenant = match?.[2];
  if (host === undefined || tenant === undefined || !GUID.test(tenant)) return undefined;
  const other = v1 ? V1_TO_V2_HOST.get(host) : V2_TO_V1_HOST.get(host);
  if (other === undefined) return undefined;
  return { issuer: v1 ? `https://${other}/${tenant}/v2.0` : `https://${other}/${tenant}/`, tenant };
}

type KeysLocation = { url: string } | { reason: string };

/**
 * The discovery keys URL for a token's issuer, or why there is none. The URL is built from the table above and
 * the tenant GUID; nothing else of `iss` reaches the network.
 */
export function entraKeysUrl(iss: unknown): KeysLocation {
  if (typeof iss !== 'string' || iss === '') return { reason: 'the token has no iss claim' };
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return { reason: `iss ${iss} is not a URL` };
  }
  const host = url.hostname.toLowerCase();
  const authority = Object.hasOwn(ENTRA_AUTHORITY_HOSTS, host) ? ENTRA_AUTHORITY_HOSTS[host] : undefined;
  if (
    url.protocol !== 'https:' ||
    url.port !== '' ||
    url.username !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    !authority
  ) {
    return { reason: `iss ${iss} is not a Microsoft Entra authority` };
  }
  const match = /^\/([^/]+)\/(v2\.0\/?)?$/.exec(url.pathname);
  const tenant = match?.[1];
  if (!match || tenant === undefined || !GUID.test(tenant)) {
    return { reason: `iss ${iss} does not name a tenant the way Entra issuers do` };
  }
  const version = match[2] ? '/v2.0' : '';
  return { url: `https://${authority}/${tenant.toLowerCase()}/discovery${version}/keys` };
}

const MAX_JWKS_BYTES = 1024 * 1024;

/**
 * GET a JSON document over HTTPS (system CAs plus NODE_EXTRA_CA_CERTS; `trustedCa` adds one, for in-process tests),
 * with a timeout and a size cap. One attempt: a network failure rejects at once with its cause in words
 * ("connection refused (ECONNREFUSED)"); the caller names the URL.
 */
export function fetchJson(url: string, options: { timeoutMs?: number; trustedCa?: string } = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const ca = options.trustedCa === undefined ? {} : { ca: [...rootCertificates, options.trustedCa] };
  return new Promise((resolvePromise, reject) => {
    const headers = { accept: 'application/json' };
    const req = request(url, { method: 'GET', headers, timeout: timeoutMs, ...ca }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_JWKS_BYTES) {
          req.destroy(new Error('response larger than 1 MiB'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        try {
          resolvePromise(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(new Error('response is not JSON', { cause: error }));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (error: Error & { code?: string }) => {
      // Errors of our own (too large, no answer) have no code and say it already; socket and TLS errors get words.
      reject(error.code === undefined ? error : new Error(describeCause(networkCause(error)), { cause: error }));
    });
    req.end();
  });
}

export interface Jwk {
  kty?: unknown;
  kid?: unknown;
  x5t?: unknown;
  use?: unknown;
  issuer?: unknown;
  [key: string]: unknown;
}

/** The keys of a JWKS document, or undefined when it is not one. */
export function jwksKeys(document: unknown): Jwk[] | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const keys = (document as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return undefined;
  return keys.filter((k): k is Jwk => k !== null && typeof k === 'object' && !Array.isArray(k));
}
