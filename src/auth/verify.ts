/**
 * `token --verify`: checks RS256 signatures with jose against `--jwks FILE|URL`, or the Entra discovery keys of the
 * token's tenant (see jwks.ts for where keys may come from). Returns one outcome per token, as data for the core.
 * Keys are cached for the run; an unknown `kid` triggers one re-fetch of that key set.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compactVerify, errors, importJWK } from 'jose';
import type { SignatureOutcome } from '../core/token/types.js';
import { InputError, UsageError } from '../errors.js';
import type { Jwk } from './jwks.js';
import { entraKeysUrl, fetchJson, jwksKeys } from './jwks.js';

export interface VerifiableToken {
  /** The compact token; used only to check the signature. */
  raw: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export interface VerifyOptions {
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
    throw new InputError(`cannot read --jwks ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new InputError(`--jwks ${path} is not JSON (expected a JSON Web Key Set: {"keys": [...]})`);
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
      throw new KeysUnavailable(`could not fetch signing keys from ${url}: ${(error as Error).message}`);
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

/** v2 key sets bind keys to issuers ({tenantid} templated); a key bound elsewhere must not sign this token. */
function keyAllowsIssuer(key: Jwk, payload: Record<string, unknown>): boolean {
  if (typeof key.issuer !== 'string') return true;
  const tid = typeof payload.tid === 'string' ? payload.tid : '';
  return key.issuer.replace('{tenantid}', tid) === payload.iss;
}

async function verifyOne(token: VerifiableToken, source: KeySource | { reason: string }, cache: KeyCache): Promise<SignatureOutcome> {
  const { header, payload } = token;
  // Entra signs with RS256 only: another alg fails even when a nonce says "Graph token".
  if (header.alg !== 'RS256') {
    return { status: 'fail', message: `alg ${String(header.alg)}: Entra signs access tokens with RS256; not accepted` };
  }
  if (header.nonce !== undefined) {
    return {
      status: 'unknown',
      message:
        'Microsoft Graph token (nonce in the header): its signature is not verifiable by third parties, which is ' +
        'not a sign of forgery; decoded only, not verified',
    };
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
      return { status: 'fail', message: `no RSA signing key${kid ? ` with kid ${kid}` : ''} in ${where}: not signed by these keys` };
    }
    const allowed = candidates.filter((k) => keyAllowsIssuer(k, payload));
    if (allowed.length === 0) {
      return { status: 'fail', message: `key ${kid ?? ''} in ${where} may not sign tokens of issuer ${String(payload.iss)}` };
    }
    for (const jwk of allowed) {
      let key: Awaited<ReturnType<typeof importJWK>>;
      try {
        key = await importJWK(jwk as Parameters<typeof importJWK>[0], 'RS256');
      } catch {
        continue;
      }
      try {
        await compactVerify(token.raw, key, { algorithms: ['RS256'] });
        return { status: 'pass', message: `signature verified (RS256, key ${String(jwk.kid ?? kid ?? '?')} from ${where})` };
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

export async function verifySignatures(tokens: readonly VerifiableToken[], options: VerifyOptions): Promise<SignatureOutcome[]> {
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
