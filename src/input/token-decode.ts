/**
 * Turns one piece of text into a decoded JWT header and payload, or one clear InputError. Tolerates what people
 * paste (a `Bearer ` or `Authorization:` prefix, quotes, whitespace) and never repeats the token in a message.
 */
import { isUtf8 } from 'node:buffer';
import type { DecodedToken } from '../core/token/types.js';
import { InputError } from '../errors.js';

/** Entra access tokens are a few KB (more with many groups); anything far beyond is not a token. */
export const MAX_TOKEN_CHARS = 256 * 1024;

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const QUOTES = new Set(['"', "'", '`']);

/** Strip what commonly surrounds a pasted token: whitespace, quotes, `Authorization:`, `Bearer `. */
export function normaliseToken(text: string): string {
  let token = text.trim();
  for (let round = 0; round < 4; round++) {
    const before = token;
    token = token.replace(/^authorization\s*:\s*/i, '').replace(/^bearer\s+/i, '');
    const first = token[0];
    if (token.length >= 2 && first !== undefined && QUOTES.has(first) && token.endsWith(first)) {
      token = token.slice(1, -1);
    }
    token = token.trim();
    if (token === before) break;
  }
  return token;
}

function decodeJsonPart(part: string, what: 'header' | 'payload', label: string): Record<string, unknown> {
  if (part === '') throw new InputError(`${label} is not a JWT: its ${what} part is empty`);
  if (!BASE64URL.test(part) || part.replace(/=+$/, '').length % 4 === 1) {
    throw new InputError(`${label} is not a JWT: its ${what} is not base64url`);
  }
  const bytes = Buffer.from(part, 'base64url');
  if (!isUtf8(bytes)) throw new InputError(`${label} is not a JWT: its ${what} is not UTF-8 text`);
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`${label} is not a JWT: its ${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${label} is not a JWT: its ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

export interface DecodedWithRaw extends DecodedToken {
  /** The compact token, for signature verification only; never printed, never put in a report. */
  raw: string;
}

/**
 * Decode one token. `label` names it in errors ("token 2", "token 3 (tokens.txt line 7)").
 * Throws InputError (exit 2) with one line that never contains the token itself.
 */
export function decodeToken(text: string, label: string): DecodedWithRaw {
  const token = normaliseToken(text);
  if (token === '') throw new InputError(`${label} is empty`);
  if (token.length > MAX_TOKEN_CHARS) {
    throw new InputError(
      `${label} is ${token.length} characters long: not an access token (those are a few KB); check what was passed`,
    );
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    throw new InputError(
      `${label} is an encrypted token (JWE, five parts): only its intended API can read it; audit a signed (three-part) access token`,
    );
  }
  if (parts.length !== 3) {
    throw new InputError(`${label} is not a JWT (expected three base64url parts separated by '.')`);
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJsonPart(headerPart, 'header', label);
  if (header.enc !== undefined) {
    throw new InputError(`${label} is an encrypted token (JWE): audit a signed access token`);
  }
  const payload = decodeJsonPart(payloadPart, 'payload', label);
  if (!BASE64URL.test(signaturePart)) {
    throw new InputError(`${label} is not a JWT: its signature is not base64url`);
  }
  return { header, payload, raw: `${headerPart}.${payloadPart}.${signaturePart}` };
}
