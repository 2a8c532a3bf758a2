import type { Command } from 'commander';
import { addCiOptions, addOutputOptions, HELP_GROUPS } from './common-options.js';
import type { ExitSink, Io } from '../io.js';
import type { GateOptions } from './gate.js';
import { FORMATS } from '../report/registry.js';
import { redactParseErrors, refuseTokenAsFlagValue } from './secret-guard.js';

/** Options of `mfa-audit token`, as commander parses them. */
export interface TokenCommandOptions extends GateOptions {
  format?: string;
  output?: string;
  quiet?: boolean;
  color?: boolean;
  verbose?: boolean;
  file?: string;
  profile?: string;
  audience?: string;
  scope?: string;
  requireAppUser?: boolean;
  verify?: boolean;
  jwks?: string;
  now?: string;
  acquire?: boolean;
  tenantId?: string;
  clientId?: string;
  refreshTokenEnv?: string;
  refreshTokenFile?: string;
  clientSecretEnv?: string;
  authority?: string;
}

/** Registers `token`; only option definitions live here, so `--help` loads nothing heavy. */
export function registerTokenCommand(program: Command, io: Io, exit: ExitSink): void {
  const command = program
    .command('token')
    .summary("check access tokens for Partner Center's MFA requirement (amr contains 'mfa')")
    .description(
      "Decode Microsoft Entra access tokens and check what Partner Center checks: the 'amr' claim carries 'mfa', " +
        'the token is App+User, its audience and scope fit, it is within its lifetime, and (with --verify) its ' +
        'signature. Every check runs; each has a stable id (mfa, app-user, audience, scope, lifetime, signature).',
    )
    .argument(
      '[tokens...]',
      "tokens to check, or '-' for stdin (prefer stdin: arguments land in shell history and ps)",
    );
  redactParseErrors(command)
    .optionsGroup(HELP_GROUPS.input)
    .option('--file <path>', 'read tokens from PATH, one per line (blank lines skipped)')
    .option('--acquire', 'sign in with MSAL (device code, or a refresh token) and check the token it returns')
    .optionsGroup(HELP_GROUPS.checks)
    .option('--profile <profile>', 'what the token is for: partner-center|graph|arm|any', 'partner-center')
    .option('--audience <aud>', "expected audience (default: the profile's)")
    .option('--scope <scp>', "scope the token must carry (default: the profile's)")
    .option('--require-app-user', 'fail App-only tokens (default: they pass with a warning)')
    .option('--verify', "verify the signature (keys from --jwks, else the issuer tenant's Entra keys)")
    .option('--jwks <file|url>', 'JSON Web Key Set (file, or https URL) to verify against; implies --verify')
    .option(
      '--now <iso-8601>',
      'evaluate time claims at this instant (default: now; with a time zone: …T12:00:00Z; a date alone is ' +
        'midnight UTC)',
    )
    .optionsGroup(HELP_GROUPS.signIn)
    .option('--tenant-id <id>', 'tenant to sign in to (with --acquire; default: AZURE_TENANT_ID)')
    .option('--client-id <id>', 'application (client) id to sign in with (with --acquire; default: AZURE_CLIENT_ID)')
    .option('--refresh-token-env <name>', 'environment variable holding a refresh token (Secure Application Model)')
    .option('--refresh-token-file <path>', 'file holding a refresh token (Secure Application Model)')
    .option(
      '--client-secret-env <name>',
      'environment variable holding the client secret (confidential refresh-token exchange)',
    )
    .option('--authority <url>', 'authority host (national clouds; default: https://login.microsoftonline.com)');
  addOutputOptions(command, FORMATS);
  addCiOptions(command, { withBaseline: true })
    .addHelpText(
      'after',
      `
Examples:
  $ pbpaste | mfa-audit token -    # the clipboard (macOS), kept out of history
  $ az account get-access-token --query accessToken -o tsv \\
      --resource https://api.partnercenter.microsoft.com | mfa-audit token
  $ mfa-audit token --file tokens.txt --format json --output report.json
  $ mfa-audit token --profile graph --verify < token.txt
  $ mfa-audit token --acquire --tenant-id contoso.onmicrosoft.com \\
      --client-id <app-id>`,
    )
    .action(async (tokens: string[], options: TokenCommandOptions, self: Command) => {
      // A token pasted as a flag's value is refused first: any later error message would repeat it.
      refuseTokenAsFlagValue(options, 'token');
      const { runToken, tokenRequest } = await import('./run-token.js');
      // Config file, --format/--output pairs and --baseline are checked before any token is read.
      const { prepareGate } = await import('./gate.js');
      const prepared = await prepareGate(io, 'token', options, self);
      exit.code = await runToken(tokenRequest(tokens, prepared.options, io), prepared.gate, io);
    });
}
