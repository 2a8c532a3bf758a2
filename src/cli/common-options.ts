import { Option } from 'commander';
import type { Command } from 'commander';
import type { OutputFlag } from './output.js';

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

/** The options every command takes: output, verbosity, and the CI gate (config, baseline, --fail-on). */
export function addCommonOptions(command: Command, formats: readonly string[]): Command {
  return command
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
    .option('-q, --quiet', 'no progress or notes on stderr')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-v, --verbose', 'list everything, not only what fails')
    .option('--config <file>', 'read settings from FILE (default: ./mfa-audit.config.json when present)')
    .option('--baseline <file>', 'accepted, expiring exceptions: reported as accepted, not failing the gate')
    .option('--write-baseline <file>', "write a baseline accepting this run's failures (placeholders, 30 days)")
    .option('--strict', 'ignore the baseline: every failure fails the gate')
    .addOption(
      new Option(
        '--fail-on <verdict>',
        'what fails the run: unknown (fail → 1, else unknown → 3) or fail (only failures; unknown exits 0)',
      ).choices(['fail', 'unknown']),
    );
}
