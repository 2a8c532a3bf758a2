/** ANSI colour codes in test assertions (kept out of regex literals, which lint forbids control characters in). */
const ESC = String.fromCharCode(27);
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

export function hasAnsi(text: string): boolean {
  return text.includes(`${ESC}[`);
}

export function stripAnsi(text: string): string {
  return text.replace(SGR, '');
}

/** The SGR code that chalk uses for red (level 1). */
export const RED = `${ESC}[31m`;
