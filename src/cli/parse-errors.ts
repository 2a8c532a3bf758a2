/**
 * What commander's parser leaves to us: the width help is wrapped at, the wording of its errors, and the one
 * mistake it cannot see (an option's value that is the next option: `--snapshot --demo`).
 */
import type { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';

/** Help is wrapped to the terminal, never wider than 80 columns (the hand-written paragraphs are wrapped at 80). */
const MAX_HELP_WIDTH = 80;
const MIN_HELP_WIDTH = 40;

/** The width `--help` is wrapped at: the terminal's, else COLUMNS, else 80; at most 80. */
export function helpWidth(io: Pick<Io, 'env'>, stream: { isTTY?: boolean; columns?: number }): number {
  const columns = stream.isTTY === true && stream.columns ? stream.columns : Number(io.env.COLUMNS);
  if (!Number.isFinite(columns) || columns <= 0) return MAX_HELP_WIDTH;
  return Math.max(MIN_HELP_WIDTH, Math.min(MAX_HELP_WIDTH, Math.floor(columns)));
}

/** `-f, --format <format>` → `--format`: the name people type. */
function longName(flags: string): string {
  return /--[a-z][\w-]*/i.exec(flags)?.[0] ?? flags.split(/[ ,]/)[0] ?? flags;
}

/**
 * commander's message without its `error:` prefix; a missing value is worded to name the option first
 * (`--snapshot needs a value: --snapshot <file>`), as every other usage error of mfa-audit does.
 */
export function describeParseError(error: CommanderError): string {
  const message = error.message.replace(/^error:\s*/, '');
  if (error.code === 'commander.optionMissingArgument') {
    const flags = /^option '(.+)' argument missing$/.exec(message)?.[1];
    if (flags !== undefined) {
      const name = longName(flags);
      const value = /<[^>]+>/.exec(flags)?.[0] ?? '<value>';
      return `${name} needs a value: ${name} ${value}`;
    }
  }
  return message;
}

/**
 * commander takes the word after an option that needs a value as that value, even when it is another option:
 * `tenant --snapshot --demo` would read a file named `--demo`, and `--output --format json` would write one. A value
 * that is one of the command's own options is refused as it is parsed (exit 2), naming the option that lacks it.
 */
export function guardOptionValues(command: Command): void {
  const known = new Set(command.options.flatMap((option) => [option.long, option.short]));
  known.add('--help').add('-h');
  for (const option of command.options) {
    if (!option.required && !option.optional) continue;
    const name = longName(option.flags);
    const placeholder = /<[^>]+>/.exec(option.flags)?.[0] ?? '<value>';
    command.on(`option:${option.name()}`, (value: unknown) => {
      if (typeof value !== 'string' || !known.has(value.split('=')[0])) return;
      throw new UsageError(`${name} needs a value (${name} ${placeholder}), but the next word is the option ${value}`);
    });
  }
}
