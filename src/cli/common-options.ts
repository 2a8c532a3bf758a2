import type { Command } from 'commander';

/** The options every command takes (contract: "Common options"). */
export function addCommonOptions(command: Command, formats: readonly string[]): Command {
  return command
    .option('-f, --format <format>', `report format: ${formats.join('|')} (default: table on a terminal, else json)`)
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('-q, --quiet', 'no progress or notes on stderr')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-v, --verbose', 'list everything, not only what fails');
}
