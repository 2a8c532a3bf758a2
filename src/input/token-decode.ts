/**
 * Turns one piece of text into a decoded JWT header and payload, or one clear InputError. Tolerates what people
 * paste (a `Bearer ` or `Authorization:` prefix, quotes, whitespace) and never repeats the token in a message.
 */
import { isUtf8 } from 'node:buffer';
import type { DecodedToken } from '../core/token/types.js';
import { InputError } from '../errors.js';

/** Entra access tokens are a few KB (more with many groups); anything far beyond is not a token. */
const MAX_TOKEN_CHARS = 256 * 1024;

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const QUOTES = new Set(['"', "'", '`']);

/** A JWT's (or JWE's) first part is base64url of '{"…', which always begins with 'eyJ'. */
const TOKEN_LIKE = /(?:^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]/;

/** Whether a value someone typed holds something shaped like a token, so a message must not repeat it. */
export function looksLikeToken(value: string): boolean {
  return TOKEN_LIKE.test(value);
}

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

/** Entra claims nest a few levels (`_claim_sources`); far deeper JSON is not a token and would overflow renderers. */
const MAX_JSON_DEPTH = 64;

/**
 * What a JSON text (already parsed once, so valid) has that a token must not: a repeated member name at any level
 * (a token's claim names must be unique: parsers disagree on which duplicate counts, so `{"amr":["pwd"],"amr":["mfa"]}`
 * could read as MFA here and as a password elsewhere) or nesting beyond MAX_JSON_DEPTH. One linear pass over the text.
 */
export function jsonShapeProblem(text: string): string | undefined {
  const stack: (Set<string> | null)[] = []; // a Set of member names per open object, null per open array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const names = stack[stack.length - 1];
      if (expectKey && names) {
        const name = JSON.parse(text.slice(i, j + 1)) as string;
        if (names.has(name)) {
          const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
          return `repeats the member ${shown} (RFC 7519: names must be unique; parsers disagree on which one counts)`;
        }
        names.add(name);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      stack.push(c === 0x7b ? new Set() : null);
      if (stack.length > MAX_JSON_DEPTH) return `nests deeper than ${MAX_JSON_DEPTH} levels`;
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
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
  } catch (error) {
    throw new InputError(`${label} is not a JWT: its ${what} is not JSON`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${label} is not a JWT: its ${what} is not a JSON object`);
  }
  const problem = jsonShapeProblem(text);
  if (problem !== undefined) throw new InputError(`${label} is not a valid JWT: its ${what} ${problem}`);
  return value as Record<string, unknown>;
}

/** One compact JWS, whole: base64url header `eyJ…`, payload and (possibly empty) signature. */
const WHOLE_JWS = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Whether a base64url part decodes to a JSON object with `enc` (a JWE header). */
function isJweHeader(part: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && 'enc' in header;
  } catch {
    return false;
  }
}

/**
 * How many tokens one line holds when it holds more than one, else 1: tokens separated by blanks, commas or
 * semicolons (each perhaps with its `Bearer `), or run together (`h.p.sh.p.s`: 2k+1 parts, every joint holding the
 * next header's `eyJ`). Either way the dots would otherwise read as a five-part JWE.
 */
function tokensOnOneLine(token: string): number {
  const pieces = token.split(/[\s,;]+/).filter((piece) => piece !== '' && !/^bearer$/i.test(piece));
  const whole = pieces.filter((piece) => WHOLE_JWS.test(normaliseToken(piece))).length;
  if (pieces.length > 1 && whole > 1) return whole;
  const parts = token.split('.');
  const joined = (parts.length - 1) / 2;
  if (!Number.isInteger(joined) || joined < 2 || !parts[0]?.startsWith('eyJ') || isJweHeader(parts[0])) return 1;
  const joints = parts.filter((part, i) => i % 2 === 0 && i > 0 && i < parts.length - 1);
  return joints.every((part) => part.includes('eyJ')) ? joined : 1;
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
  const count = tokensOnOneLine(token);
  if (count > 1) {
    throw new InputError(`${label} holds ${count} tokens on one line: give one per line, or each as its own argument`);
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
  const decoded: DecodedWithRaw = { header, payload, raw: `${headerPart}.${payloadPart}.${signaturePart}` };
  if (signaturePart === '') decoded.unsigned = true;
  return decoded;
}
