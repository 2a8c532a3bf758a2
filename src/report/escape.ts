/**
 * Text from a tenant or a token (names, UPNs, claims, messages) is never written raw when it could act on the
 * reader: control characters can repaint a terminal or fake a "PASS" line, bidi controls can show text in another
 * order than it is stored. One set of such characters for every format, and one rendering per kind of output:
 *
 * - the C0 controls (U+0000–U+001F), DEL and the C1 controls (U+007F–U+009F);
 * - the bidi marks U+200E/U+200F, embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069.
 *
 * Whitespace a format carries safely (tab, LF, CR in quoted CSV) is kept by that format; the rest is shown as a
 * visible `\uXXXX`. XML 1.0 cannot carry some code points at all (most C0 controls, U+FFFE/U+FFFF, lone
 * surrogates): those become U+FFFD there.
 */

/** The unsafe characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every unsafe character shown as `\uXXXX`, except the whitespace in `keep`:
 * '' for one-line labels, '\t\n' for terminal and Markdown text, '\t\r\n' for quoted CSV cells.
 */
export function escapeUnsafe(text: string, keep = ''): string {
  return text.replace(UNSAFE, (char) => (keep.includes(char) ? char : visible(char)));
}

/** What XML 1.0 cannot carry: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates. */
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for XML content and attribute values: what XML 1.0 forbids becomes U+FFFD, the other unsafe characters
 * (DEL, C1, bidi controls) are shown as `\uXXXX`; tab, LF and CR are kept. Markup characters are left to the caller.
 */
export function xmlSafe(text: string): string {
  return escapeUnsafe(text.replace(XML_FORBIDDEN, '\ufffd'), '\t\n\r');
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for HTML content and quoted attribute values: the unsafe characters shown as `\uXXXX` (a bidi override in a
 * guest's display name must not reorder the page; tab and LF are kept, HTML folds them), then the five markup
 * characters as entities, so tenant text can never open a tag, end an attribute or start an entity.
 */
export function escapeHtml(text: string): string {
  return escapeUnsafe(text, '\t\n').replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}
