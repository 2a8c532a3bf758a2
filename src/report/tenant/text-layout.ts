/**
 * Plain-text layout of the human tenant report: word wrap that never cuts text short, painting after wrapping (so
 * colour codes never count as width), and UPNs shortened visibly when a line has no room for them.
 */
import type { ChalkInstance } from 'chalk';
import { printable } from './wording.js';

export interface Style {
  c: ChalkInstance;
  /** Colour and box drawing (a terminal). */
  color: boolean;
  width: number;
}

/** One logical line of text and how to paint it once wrapped. */
export interface Line {
  text: string;
  paint?: (text: string) => string;
}

export function block(lines: Line[], width: number): string {
  return (
    lines
      // Tenant data reaches the terminal only through here: made printable before it is painted.
      .flatMap(({ text, paint }) => wrap(printable(text), width).map((part) => (paint ? paint(part) : part)))
      .join('\n')
  );
}

export function indent(text: string, prefix: string): string {
  return text.replace(/^/gm, prefix);
}

/** Word wrap; a word longer than the width is broken, never truncated. */
function wrap(text: string, width: number): string[] {
  const max = Math.max(width, 1);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      let rest = word;
      while (rest.length > max) {
        const room = line === '' ? max : max - line.length - 1;
        if (line !== '' && room < 8) {
          out.push(line);
          line = '';
          continue;
        }
        const head = rest.slice(0, room);
        out.push(line === '' ? head : `${line} ${head}`);
        line = '';
        rest = rest.slice(room);
      }
      if (line === '') line = rest;
      else if (line.length + 1 + rest.length <= max) line += ` ${rest}`;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  return out;
}

/**
 * A UPN (or any name) in at most `width` characters: cut in the middle with '…' so both the start and the domain
 * stay readable. Never wrapped: a second line would read like another account.
 */
export function shorten(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width < 2) return '…';
  const tail = Math.min(Math.floor((width - 1) / 2), 24);
  return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
}
