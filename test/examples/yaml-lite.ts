/**
 * A small YAML reader for the example pipelines (no dependency): block mappings and sequences, plain and quoted
 * scalars, `|`/`>` block scalars, comments. It throws on anything else (tabs, flow collections, anchors, bad
 * indentation), so an example that drifts outside this subset fails its test instead of being half-read.
 */
export type Yaml = string | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  number: number;
}

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[,-]/.test(text[i - 1] ?? '')) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      return text.slice(0, i).trimEnd();
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${text}`);
  return text.trimEnd();
}

function scalar(raw: string, number: number): string | null {
  const text = raw.trim();
  if (text === '' || text === '~' || text === 'null') return null;
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new Error(`line ${number}: bad double-quoted scalar`);
    return JSON.parse(text) as string;
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new Error(`line ${number}: bad single-quoted scalar`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{&*!|>%@`]/.test(text)) throw new Error(`line ${number}: unsupported YAML: ${text}`);
  if (/:\s/.test(text) || text.endsWith(':')) throw new Error(`line ${number}: unexpected mapping in scalar: ${text}`);
  return text;
}

export function parseYaml(source: string): Yaml {
  const all = source.split(/\r?\n/);
  const lines: Line[] = [];
  all.forEach((raw, index) => {
    if (/^\s*\t/.test(raw)) throw new Error(`line ${index + 1}: tab indentation`);
    lines.push({ indent: raw.length - raw.trimStart().length, text: raw, number: index + 1 });
  });
  let pos = 0;
  const significant = () => {
    while (pos < lines.length && stripComment(lines[pos]!.text).trim() === '') pos++;
    return lines[pos];
  };

  function blockScalar(parentIndent: number, style: string): string {
    const body: string[] = [];
    let indent: number | undefined;
    while (pos < lines.length) {
      const line = lines[pos]!;
      if (line.text.trim() === '') {
        body.push('');
        pos++;
        continue;
      }
      if (line.indent <= parentIndent) break;
      indent ??= line.indent;
      if (line.indent < indent) throw new Error(`line ${line.number}: bad block scalar indentation`);
      body.push(line.text.slice(indent));
      pos++;
    }
    while (body.length && body[body.length - 1] === '') body.pop();
    const text = style.startsWith('>') ? body.join(' ') : body.join('\n');
    return style.endsWith('-') ? text : text + '\n';
  }

  function value(rest: string, indent: number, number: number): Yaml {
    const text = rest.trim();
    if (/^[|>]-?$/.test(text)) return blockScalar(indent, text);
    if (text !== '') return scalar(text, number);
    const next = significant();
    if (!next || next.indent < indent || (next.indent === indent && !stripComment(next.text).trim().startsWith('- '))) return null;
    return block(next.indent);
  }

  function block(indent: number): Yaml {
    const first = significant();
    if (!first) return null;
    if (first.indent !== indent) throw new Error(`line ${first.number}: bad indentation`);
    const isSequence = stripComment(first.text).trim().startsWith('- ') || stripComment(first.text).trim() === '-';
    const list: Yaml[] = [];
    const map: Record<string, Yaml> = {};
    for (;;) {
      const line = significant();
      if (!line || line.indent < indent) break;
      if (line.indent > indent) throw new Error(`line ${line.number}: bad indentation`);
      const text = stripComment(line.text).trim();
      if (isSequence) {
        if (!(text.startsWith('- ') || text === '-')) throw new Error(`line ${line.number}: expected '- '`);
        const item = text.slice(1).trimStart();
        const itemIndent = indent + (text.length - item.length);
        if (/^[^\s"'][^:]*:(\s|$)/.test(item)) {
          // "- key: value" starts a mapping whose keys align with `key`.
          lines[pos] = { indent: itemIndent, text: ' '.repeat(itemIndent) + item, number: line.number };
          list.push(block(itemIndent));
        } else {
          pos++;
          list.push(item === '' ? value('', indent + 1, line.number) : value(item, indent, line.number));
        }
      } else {
        const match = /^([^\s"'#][^:]*?|"[^"]*"|'[^']*'):(\s+(.*))?$/.exec(text);
        if (!match) throw new Error(`line ${line.number}: expected 'key: value', got: ${text}`);
        const key = scalar(match[1]!, line.number) ?? '';
        if (key in map) throw new Error(`line ${line.number}: duplicate key '${key}'`);
        pos++;
        map[key] = value(match[3] ?? '', indent, line.number);
      }
    }
    return isSequence ? list : map;
  }

  const doc = significant() ? block(significant()!.indent) : null;
  const rest = significant();
  if (rest) throw new Error(`line ${rest.number}: unexpected content`);
  return doc;
}
