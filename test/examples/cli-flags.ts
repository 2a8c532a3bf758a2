/**
 * The real flags of every mfa-audit command, read from the commander program itself, and a checker for command lines
 * written in examples, docs and the Action: a made-up flag, a missing value or a format the command does not have
 * fails the test that reads them.
 */
import type { Command, Option } from 'commander';
import { expect } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const program = buildProgram(memoryIo(), { code: 0 });
export const commands = new Map(program.commands.map((command: Command) => [command.name(), command]));


/** The option of a command that a flag (long, short, or a negation) names. */
export function optionOf(command: string, flag: string): Option | undefined {
  return commands
    .get(command)
    ?.options.find((o) => o.long === flag || o.short === flag || (o.negate && o.long === flag));
}

/** The formats a command's --format takes: its choices, else the list its help gives ("report format: a|b|c"). */
function formatsOf(option: Option): string[] {
  if (option.argChoices) return option.argChoices;
  return /report format: ([\w|]+)/.exec(option.description)?.[1]?.split('|') ?? [];
}

/** Every `mfa-audit <command> …` invocation in a text, as argument lists (quotes removed, continuations joined). */
export function invocations(text: string): string[][] {
  const joined = text.replace(/\\\r?\n\s*/g, ' ');
  const names = [...commands.keys()].join('|');
  const pattern = new RegExp(`(?:^|[\\s$(|;&\`])(?:npx\\s+)?(?:node\\s+bin/)?mfa-audit(?:\\.js)?\\s+((?:${names})\\b.*)$`);
  const found: string[][] = [];
  for (const line of joined.split(/\r?\n/)) {
    const match = pattern.exec(line);
    if (match) found.push(split(match[1]!));
  }
  return found;
}

/** Shell-ish word splitting: quotes group, a pipe, redirect or comment ends the command. */
function split(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (const c of command) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === '`') break; // the end of inline code in prose
    if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else if ('|;<>#`'.includes(c) && !started) {
      break;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** Fails the running test when `mfa-audit WORDS…` uses a command, flag or value the CLI does not have. */
export function checkInvocation(words: string[], where: string): void {
  const [name, ...args] = words;
  const command = commands.get(name ?? '');
  expect(command, `${where}: unknown command in 'mfa-audit ${words.join(' ')}'`).toBeDefined();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') continue;
    const flag = arg.split('=')[0]!;
    const option = optionOf(name!, flag);
    expect(option, `${where}: 'mfa-audit ${name}' has no option ${flag}`).toBeDefined();
    if (!option!.required && !option!.optional) continue;
    const value = arg.includes('=') ? arg.split('=')[1] : args[++i];
    expect(value, `${where}: ${flag} needs a value`).toBeDefined();
    if (option!.long === '--format') expect(formatsOf(option!), `${where}: ${name} --format`).toContain(value);
    if (option!.argChoices) expect(option!.argChoices, `${where}: ${flag}`).toContain(value);
    // A variadic option takes every word up to the next flag.
    while (option!.variadic && i + 1 < args.length && !args[i + 1]!.startsWith('-')) i++;
  }
}
