/** Turns zod issues into the one line the CLI prints: `file: path.to.field: what is wrong (and N more problems)`. */
import type { z } from 'zod';

function dotPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map((part) => String(part)).join('.');
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
    case 'invalid_type':
      return issue.message.replace(/^Invalid input: /, '');
    default:
      return issue.message;
  }
}

/** One line for the first problem; the count of the others, so nothing is hidden. */
export function formatIssues(label: string, issues: readonly z.core.$ZodIssue[]): string {
  const [first] = issues;
  if (!first) return `${label}: invalid`;
  const where =
    first.code === 'unrecognized_keys' && first.keys.length === 1
      ? dotPath([...first.path, first.keys[0] as string])
      : dotPath(first.path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${label}: ${where}: ${describe(first)}${more}`;
}
