/**
 * Test tokens: claim sets in Entra's shapes (fixtures/tokens/*.claims.json) signed at test time with RSA keys that
 * jose generates here. No real token is ever stored.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';

const FIXTURES = new URL('../../fixtures/tokens/', import.meta.url);

/** 2026-11-21T12:00:00Z: half an hour into the fixtures' lifetime (iat 11:30, exp 12:35). */
export const FIXTURE_NOW = new Date('2026-11-21T12:00:00Z');

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public key as Entra publishes it: kty, use, kid, x5t, n, e. */
  jwk: JWK;
}

export async function generateTestKey(kid = 'test-key-1'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, x5t: kid, use: 'sig' };
  return { kid, privateKey, jwk };
}

export function jwksOf(...keys: TestKey[]): { keys: JWK[] } {
  return { keys: keys.map((k) => k.jwk) };
}

export function loadClaims(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.claims.json`, FIXTURES), 'utf8')) as Record<string, unknown>;
}

/** Sign claims the way Entra does (RS256, typ JWT, kid and x5t); `header` adds or overrides fields (e.g. nonce). */
export async function signClaims(
  claims: Record<string, unknown>,
  key: TestKey,
  header: Record<string, unknown> = {},
): Promise<string> {
  const protectedHeader = { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid, ...header };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(protectedHeader)
    .sign(key.privateKey);
}

/**
 * Sign claims the way Entra signs tokens with a header `nonce` (Microsoft Graph and some other first-party APIs):
 * the signature covers the header with the nonce replaced by base64url(SHA-256(nonce)); the token carries the
 * original nonce.
 */
export async function signNonceClaims(
  claims: Record<string, unknown>,
  key: TestKey,
  nonce: string,
  header: Record<string, unknown> = {},
): Promise<string> {
  const transmitted = { typ: 'JWT', nonce, alg: 'RS256', x5t: key.kid, kid: key.kid, ...header };
  const hashed = { ...transmitted, nonce: createHash('sha256').update(nonce, 'utf8').digest('base64url') };
  const signed = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(hashed)
    .sign(key.privateKey);
  const [, payload, signature] = signed.split('.');
  return `${b64url(JSON.stringify(transmitted))}.${payload ?? ''}.${signature ?? ''}`;
}

export async function signFixture(name: string, key: TestKey, header: Record<string, unknown> = {}): Promise<string> {
  return signClaims(loadClaims(name), key, header);
}

export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A token assembled by hand (any header/payload text), for input-layer tests. */
export function rawToken(header: string, payload: string, signature = 'c2lnbmF0dXJl'): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}
