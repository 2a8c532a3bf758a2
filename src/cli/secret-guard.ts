/**
 * The one guard against echoing a token someone typed in the wrong place: a token given as a flag's value
 * (`--now $TOKEN`, `--snapshot $TOKEN`) would be repeated by that flag's error message, land in a report
 * (`--audience`) or name a file (`--output`). Both commands refuse it first, without showing it; errors commander
 * raises itself (`--fail-on $TOKEN`, `--unknown=$TOKEN`) show it redacted.
 */
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { looksLikeToken } from '../input/token-decode.js';

/** Where each command does take a token, for the refusal's last words. */
const WHERE_TOKENS_GO = {
  token: 'give tokens as arguments, on stdin or with --file',
  tenant: 'tenant takes no token in a flag; for a Graph token acquired elsewhere, set MFA_AUDIT_ACCESS_TOKEN',
} as const;

/** A compact token within a message: the whole run of base64url and dots around an `eyJ…` header. */
const TOKEN_RUN = /[A-Za-z0-9_-]*eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_.=-]*/g;

const REDACTED = '[a value that looks like an access token, not shown]';

function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The flag (`--now`) whose value, or one of whose values, looks like a token; undefined when none does. */
function flagHoldingToken(options: object): string | undefined {
  for (const [name, value] of Object.entries(options)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof item === 'string' && looksLikeToken(item)) return flagOf(name);
      // `outputFlags`: every --format/--output in order, as { flag, value } (src/cli/common-options.ts).
      if (typeof item === 'object' && item !== null && 'value' in item && 'flag' in item) {
        const entry = item as { flag: unknown; value: unknown };
        if (typeof entry.value === 'string' && looksLikeToken(entry.value)) return flagOf(String(entry.flag));
      }
    }
  }
  return undefined;
}

/** Refuses, without showing it, a token given as the value of any flag of `command` (exit 2). */
export function refuseTokenAsFlagValue(options: object, command: keyof typeof WHERE_TOKENS_GO): void {
  const flag = flagHoldingToken(options);
  if (flag !== undefined) {
    throw new UsageError(`the value of ${flag} looks like an access token (not shown): ${WHERE_TOKENS_GO[command]}`);
  }
}

/** `text` with every token-shaped run replaced by a placeholder. */
function redactTokens(text: string): string {
  return text.replace(TOKEN_RUN, REDACTED);
}

/**
 * Errors commander raises while parsing `command` (an invalid choice, an unknown option) quote what was typed:
 * thrown on with any token in them redacted. Otherwise as `exitOverride()` without a callback.
 */
export function redactParseErrors(command: Command): Command {
  return command.exitOverride((error) => {
    if (error.code === 'commander.executeSubCommandAsync') return;
    const message = redactTokens(error.message);
    if (message === error.message) throw error;
    throw new CommanderError(error.exitCode, error.code, message);
  });
}
