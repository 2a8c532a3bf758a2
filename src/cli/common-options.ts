import { Option } from 'commander';
import type { Command } from 'commander';
import type { OutputFlag } from './output.js';

/**
 * The groups of `--help`, in the order every command shows them (commander lists groups in the order their first
 * option was added, so each command adds its options group by group).
 */
export const HELP_GROUPS = {
  input: 'Input:',
  checks: 'Checks:',
  signIn: 'Sign-in:',
  output: 'Output:',
  ci: 'CI:',
} as const;

/**
 * Remembers every --format/--output in command-line order (commander keeps only the last value of a repeated
 * option), so `--format sarif --output a.sarif --format table` can be paired up by src/cli/output.ts.
 * `format`/`output` themselves keep their usual meaning: the last value given.
 */
function recordOutputFlag(command: Command, flag: OutputFlag['flag']) {
  return (value: string): string => {
    const flags = (command.getOptionValue('outputFlags') as OutputFlag[] | undefined) ?? [];
    command.setOptionValue('outputFlags', [...flags, { flag, value }]);
    return value;
  };
}

/** Signing in to Microsoft Graph for a live tenant (`tenant`, and `plan` with a live baseline). */
export function addGraphSignInOptions(command: Command): Command {
  return command
    .optionsGroup(HELP_GROUPS.signIn)
    .option('--device-code', 'sign in interactively with the device code flow (delegated)')
    .option('--client-id <id>', 'application (client) id to sign in with (default: AZURE_CLIENT_ID)')
    .option('--certificate <path>', 'PEM file with the certificate and private key (app-only sign-in)')
    .option(
      '--client-secret-env <name>',
      'environment variable that holds the client secret (app-only sign-in; default: AZURE_CLIENT_SECRET)',
    )
    .option('--federated-token-file <path>', 'client assertion file (workload identity; AZURE_FEDERATED_TOKEN_FILE)')
    .option('--graph-url <url>', 'Microsoft Graph root (national clouds, test servers)', 'https://graph.microsoft.com')
    .option('--authority <url>', 'sign-in authority host (default: https://login.microsoftonline.com)');
}

/** The options every command takes for its report: where, in which format, how much. */
export function addOutputOptions(command: Command, formats: readonly string[]): Command {
  return command
    .optionsGroup(HELP_GROUPS.output)
    .option(
      '-f, --format <format>',
      `report format: ${formats.join('|')} (default: table on a terminal, else json); repeatable: each ` +
        '--output takes the --format before it, a --format without one goes to stdout',
      recordOutputFlag(command, 'format'),
    )
    .option(
      '-o, --output <file>',
      'write the report to FILE instead of stdout (format from --format, else from the extension: .sarif .xml ' +
        '.csv .md .html .json); repeatable',
      recordOutputFlag(command, 'output'),
    )
    .option('-q, --quiet', 'no progress or notes on stderr (warnings still show)')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-v, --verbose', 'list everything, not only what fails')
    .helpOption('-h, --help', 'show this help');
}

/**
 * The CI gate: config file, baseline, --fail-on. `withBaseline: false` (plan, diff: they gate on the change) keeps
 * the baseline flags out of the help; they are still parsed, so the command can say why it refuses them.
 */
export function addCiOptions(command: Command, { withBaseline }: { withBaseline: boolean }): Command {
  const baselineOptions = [
    new Option('--baseline <file>', 'accepted, expiring exceptions: reported as accepted, not failing the gate'),
    new Option('--write-baseline <file>', "write a baseline accepting this run's failures (placeholders, 30 days)"),
    new Option('--strict', 'ignore the baseline: every failure fails the gate'),
  ];
  command
    .optionsGroup(HELP_GROUPS.ci)
    .option('--config <file>', 'read settings from FILE (default: ./mfa-audit.config.json when present)');
  for (const option of baselineOptions) command.addOption(withBaseline ? option : option.hideHelp());
  return command.addOption(
    new Option(
      '--fail-on <verdict>',
      'what fails the run (default: unknown): with unknown, a failure exits 1, else an unknown 3; with fail, ' +
        'only failures (an unknown exits 0)',
    ).choices(['fail', 'unknown']),
  );
}
