/**
 * `token --verify`: checks RS256 signatures with jose against `--jwks FILE|URL`, or the Entra discovery keys of the
 * token's tenant (see jwks.ts for where keys may come from). Returns one outcome per token, as data for the core.
 * Keys are cached for the run; an unknown `kid` triggers one re-fetch of that key set. A token with a header `nonce`
 * is checked over the header with that nonce hashed, the way Entra signs it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compactVerify, errors, importJWK } from 'jose';
import type { SignatureOutcome } from '../core/token/types.js';
import { InputError, UsageError } from '../errors.js';
import type { Jwk } from './jwks.js';
import { entraKeysUrl, fetchJson, jwksKeys, otherVersionIssuer } from './jwks.js';

interface VerifiableToken {
  /** The compact token; used only to check the signature. */
  raw: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

interface VerifyOptions {
  /** --jwks: a file path or an https:// URL. */
  jwks?: string;
  cwd: string;
  /** How JSON is fetched (tests inject one to see which URLs would be asked). */
  fetchJson?: (url: string) => Promise<unknown>;
}

type KeySource = { kind: 'file'; name: string; keys: Jwk[] } | { kind: 'url'; url: string };

class KeysUnavailable extends Error {}

async function loadJwksFile(path: string, cwd: string): Promise<Jwk[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read --jwks ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`, {
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--jwks ${path} is not JSON (expected a JSON Web Key Set: {"keys": [...]})`, { cause: error });
  }
  const keys = jwksKeys(document);
  if (!keys) throw new InputError(`--jwks ${path} is not a JSON Web Key Set (expected {"keys": [...]})`);
  return keys;
}

/** A run's key sets: each URL fetched at most twice (once, and once more on an unknown kid). */
class KeyCache {
  private readonly sets = new Map<string, Promise<Jwk[]>>();
  private readonly refetched = new Set<string>();
  constructor(private readonly fetch: (url: string) => Promise<unknown>) {}

  get(url: string): Promise<Jwk[]> {
    let set = this.sets.get(url);
    if (!set) {
      set = this.load(url);
      this.sets.set(url, set);
    }
    return set;
  }

  /** Re-fetch once per URL per run; false when that was already done. */
  refetch(url: string): boolean {
    if (this.refetched.has(url)) return false;
    this.refetched.add(url);
    this.sets.set(url, this.load(url));
    return true;
  }

  private async load(url: string): Promise<Jwk[]> {
    let document: unknown;
    try {
      document = await this.fetch(url);
    } catch (error) {
      throw new KeysUnavailable(`could not fetch signing keys from ${url}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const keys = jwksKeys(document);
    if (!keys) throw new KeysUnavailable(`${url} did not return a JSON Web Key Set`);
    return keys;
  }
}

function candidateKeys(keys: readonly Jwk[], kid: string | undefined): Jwk[] {
  return keys.filter(
    (k) =>
      k.kty === 'RSA' &&
      (k.use === undefined || k.use === 'sig') &&
      (kid === undefined || k.kid === kid || k.x5t === kid),
  );
}

/**
 * v2 key sets bind keys to issuers ({tenantid} templated); a key bound elsewhere must not sign this token. As in
 * Microsoft.IdentityModel's AadIssuerValidator, a key bound to one tenant's v2 issuer also signs that tenant's v1
 * tokens (`https://login.microsoftonline.com/{tenantid}/v2.0` accepts `https://sts.windows.net/{tid}/`), and a v1
 * binding the v2 issuer: same tenant (the token's tid) and same cloud only.
 */
function keyAllowsIssuer(key: Jwk, payload: Record<string, unknown>): boolean {
  if (typeof key.issuer !== 'string') return true;
  const tid = typeof payload.tid === 'string' ? payload.tid : '';
  const bound = key.issuer.replace('{tenantid}', () => tid);
  if (bound === payload.iss) return true;
  const other = otherVersionIssuer(bound);
  return other !== undefined && other.tenant === tid && other.issuer === payload.iss;
}

/**
 * The compact JWS whose signature Entra computed for a token with a header `nonce`: the same header with the nonce
 * replaced by base64url(SHA-256(nonce)), serialised again in its own member order. Undefined when the header part
 * cannot be rebuilt that way (then the token is not one Entra signed).
 */
function hashedNonceJws(raw: string): string | undefined {
  const [headerPart, payloadPart, signaturePart, ...rest] = raw.split('.');
  if (headerPart === undefined || payloadPart === undefined || signaturePart === undefined || rest.length > 0)
    return undefined;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return undefined;
  const fields = header as Record<string, unknown>;
  if (typeof fields.nonce !== 'string') return undefined;
  fields.nonce = createHash('sha256').update(fields.nonce, 'utf8').digest('base64url');
  return `${Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url')}.${payloadPart}.${signaturePart}`;
}

async function verifyOne(
  token: VerifiableToken,
  source: KeySource | { reason: string },
  cache: KeyCache,
): Promise<SignatureOutcome> {
  const { header, payload } = token;
  // Entra signs with RS256 only: another alg fails, nonce or not.
  if (header.alg !== 'RS256') {
    return { status: 'fail', message: `alg ${String(header.alg)}: Entra signs access tokens with RS256; not accepted` };
  }
  // A header nonce (tokens for Microsoft Graph and some other first-party APIs): Entra signs over the hashed nonce.
  let signed = token.raw;
  let how = 'RS256';
  if (header.nonce !== undefined) {
    const rebuilt = typeof header.nonce === 'string' ? hashedNonceJws(token.raw) : undefined;
    if (rebuilt === undefined) {
      return {
        status: 'fail',
        message:
          typeof header.nonce === 'string'
            ? 'the token is not a valid JWS: its header cannot be rebuilt with the hashed nonce'
            : 'the header nonce is not a string: Entra signs no such token',
      };
    }
    signed = rebuilt;
    how = 'RS256 over the header with its nonce hashed, as Entra signs it';
  }
  if ('reason' in source) {
    return {
      status: 'unknown',
      message: `${source.reason}: keys are fetched only from Microsoft Entra hosts; pass --jwks FILE|URL to verify`,
    };
  }
  const kid = typeof header.kid === 'string' ? header.kid : typeof header.x5t === 'string' ? header.x5t : undefined;
  const where = source.kind === 'file' ? source.name : source.url;
  let keys: Jwk[];
  try {
    keys = source.kind === 'file' ? source.keys : await cache.get(source.url);
    let candidates = candidateKeys(keys, kid);
    if (candidates.length === 0 && source.kind === 'url' && cache.refetch(source.url)) {
      candidates = candidateKeys(await cache.get(source.url), kid);
    }
    if (candidates.length === 0) {
      return {
        status: 'fail',
        message: `no RSA signing key${kid ? ` with kid ${kid}` : ''} in ${where}: not signed by these keys`,
      };
    }
    const allowed = candidates.filter((k) => keyAllowsIssuer(k, payload));
    if (allowed.length === 0) {
      return {
        status: 'fail',
        message: `key ${kid ?? ''} in ${where} may not sign tokens of issuer ${String(payload.iss)}`,
      };
    }
    for (const jwk of allowed) {
      let key: Awaited<ReturnType<typeof importJWK>>;
      try {
        key = await importJWK(jwk as Parameters<typeof importJWK>[0], 'RS256');
      } catch {
        continue;
      }
      try {
        await compactVerify(signed, key, { algorithms: ['RS256'] });
        return {
          status: 'pass',
          message: `signature verified (${how}, key ${typeof jwk.kid === 'string' ? jwk.kid : (kid ?? '?')} from ${where})`,
        };
      } catch (error) {
        if (error instanceof errors.JWSSignatureVerificationFailed) continue;
        if (error instanceof errors.JOSEError) {
          return { status: 'fail', message: `the token is not a valid JWS: ${error.message}` };
        }
        // A key jose refuses for RS256 (e.g. shorter than 2048 bits): it verifies nothing; try the next one.
        continue;
      }
    }
    return {
      status: 'fail',
      message: `signature does not match key ${kid ?? ''} from ${where}: the token was altered or signed by someone else`,
    };
  } catch (error) {
    if (error instanceof KeysUnavailable) return { status: 'unknown', message: error.message };
    throw error;
  }
}

export async function verifySignatures(
  tokens: readonly VerifiableToken[],
  options: VerifyOptions,
): Promise<SignatureOutcome[]> {
  const cache = new KeyCache(options.fetchJson ?? ((url) => fetchJson(url)));
  let fixed: KeySource | undefined;
  if (options.jwks !== undefined) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(options.jwks)) {
      if (!options.jwks.toLowerCase().startsWith('https://')) {
        throw new UsageError(`--jwks ${options.jwks}: a URL must use https`);
      }
      fixed = { kind: 'url', url: options.jwks };
    } else {
      fixed = { kind: 'file', name: options.jwks, keys: await loadJwksFile(options.jwks, options.cwd) };
    }
  }
  const outcomes: SignatureOutcome[] = [];
  // One at a time: tokens of one tenant share one cached fetch; thousands of tokens need no parallel requests.
  for (const token of tokens) {
    let source: KeySource | { reason: string };
    if (fixed) {
      source = fixed;
    } else {
      const location = entraKeysUrl(token.payload.iss);
      source = 'url' in location ? { kind: 'url', url: location.url } : location;
    }
    outcomes.push(await verifyOne(token, source, cache));
  }
  return outcomes;
}
