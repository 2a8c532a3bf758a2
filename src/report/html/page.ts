/**
 * The frame every HTML report shares: one self-contained file whose Content-Security-Policy forbids every load
 * (`default-src 'none'`, no `connect-src`), allowing only the page's own inline style sheet and script by their
 * SHA-256 hashes. It opens from a CI artifact or an e-mail attachment and makes no network request at all.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../escape.js';
import { STYLE } from './style.js';

/** A CSP source for an inline block: `'sha256-<base64 of the block's exact text>'`. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The policy: nothing may load (no images, fonts, frames, connections, form posts, base URL); the style sheet and
 * the script named here by hash may run. Without a script, scripts are refused altogether.
 */
function contentSecurityPolicy(script?: string): string {
  return [
    "default-src 'none'",
    `style-src ${hashSource(STYLE)}`,
    `script-src ${script === undefined ? "'none'" : hashSource(script)}`,
    // Only the empty icon below, which stops browsers asking a server for /favicon.ico; data: is never the network.
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Everything up to and including `<body>`: the policy, the title, the style sheet. */
export function pageHead(title: string, script?: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(script))}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="referrer" content="no-referrer">\n' +
    // An empty icon: without it a browser serving the file over HTTP asks the server for /favicon.ico.
    '<link rel="icon" href="data:,">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`
  );
}

/** The inline script block the policy allows (its text must be exactly the hashed text) and the end of the page. */
export function pageEnd(script?: string): string {
  return (script === undefined ? '' : `<script>${script}</script>\n`) + '</body>\n</html>\n';
}

/**
 * JSON for a `<script type="application/json">` block: `<` is escaped so no `</script>` or `<!--` can end or
 * change the block, U+2028/U+2029 so no older parser reads a line break; `>` and `&` for good measure. All of them
 * are inside JSON strings, where `\uXXXX` means the same character.
 */
export function jsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The verdict or status as a symbol and a word, so colour is never the only signal. */
const SYMBOLS: Readonly<Record<string, string>> = {
  pass: '✓',
  fail: '✗',
  unknown: '?',
  exempt: '–',
  warn: '!',
  skip: '–',
};

export function badge(status: string, label = status.toUpperCase()): string {
  const cls = /^[a-z]+$/.test(status) ? ` v-${status}` : '';
  return `<span class="badge${cls}">${SYMBOLS[status] ?? ''} ${escapeHtml(label)}</span>`;
}
