import { Command, CommanderError } from 'commander';
import { EXIT_CODES, MfaAuditError, oneLine } from '../errors.js';
import { VERSION } from '../version.js';
import type { ExitSink, Io } from '../io.js';
import { describeParseError, guardOptionValues, helpWidth } from './parse-errors.js';
import { redactParseErrors } from './secret-guard.js';
import { registerDiffCommand } from './diff.js';
import { registerPlanCommand } from './plan.js';
import { registerTenantCommand } from './tenant.js';
import { registerTokenCommand } from './token.js';

export function buildProgram(io: Io, exit: ExitSink): Command {
  const program = redactParseErrors(new Command('mfa-audit'))
    .description(
      'Prove, or disprove, that every account of a Microsoft Entra tenant is forced through MFA, and check that ' +
        "access tokens carry the 'mfa' claim Partner Center requires.",
    )
    .version(VERSION, '-V, --version', 'show the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', "show a command's help")
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => helpWidth(io, io.stdout),
      getErrHelpWidth: () => helpWidth(io, io.stderr),
      // Errors are printed once, as one line, by runCli below.
      outputError: () => {},
    })
    .addHelpText(
      'after',
      `
Exit codes:
  0  every token / account passes (or is exempt)
  1  at least one token or account fails
  2  usage error, or input that is not valid (not a JWT, a broken snapshot)
  3  incomplete: nothing fails, but something could not be decided or collected

Examples:
  $ mfa-audit tenant --demo
  $ pbpaste | mfa-audit token -    # the clipboard (macOS), kept out of history
  $ mfa-audit tenant --snapshot tenant.json --format json --output report.json

Run 'mfa-audit <command> --help' for a command's options. From a clone, run
'node bin/mfa-audit.js' where these write 'mfa-audit'.`,
    );

  registerTokenCommand(program, io, exit);
  registerTenantCommand(program, io, exit);
  registerPlanCommand(program, io, exit);
  registerDiffCommand(program, io, exit);
  for (const command of program.commands) guardOptionValues(command);
  return program;
}

/** Parse, run, and map every error to its documented exit code in this one place. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const exit: ExitSink = { code: EXIT_CODES.ok };
  const program = buildProgram(io, exit);
  if (argv.length === 0) {
    // No command: the help says what there is to run, but the run itself did nothing a script could rely on.
    program.outputHelp({ error: true });
    return EXIT_CODES.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (error) {
    return reportError(error, io, commandNamed(program, argv));
  }
}

/** The command the arguments run (`tenant`), for the help an error points to; undefined for the program itself. */
function commandNamed(program: Command, argv: readonly string[]): string | undefined {
  const first = argv.find((arg) => !arg.startsWith('-'));
  return program.commands.some((command) => command.name() === first) ? first : undefined;
}

function reportError(error: unknown, io: Io, command: string | undefined): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return EXIT_CODES.ok;
    }
    if (error.code === 'commander.executeSubCommandAsync') return EXIT_CODES.ok;
    const message = describeParseError(error);
    const help = command === undefined ? 'mfa-audit --help' : `mfa-audit ${command} --help`;
    io.stderr.write(`mfa-audit: ${oneLine(message)} (see '${help}')\n`);
    return EXIT_CODES.usage;
  }
  if (error instanceof MfaAuditError) {
    io.stderr.write(`mfa-audit: ${oneLine(error.message)}\n`);
    return EXIT_CODES[error.code];
  }
  // A bug of ours: still one line and no stack, unless asked for with MFA_AUDIT_DEBUG.
  const message = error instanceof Error ? error.message : String(error);
  if (io.env.MFA_AUDIT_DEBUG && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
  io.stderr.write(`mfa-audit: internal error: ${oneLine(message)} (set MFA_AUDIT_DEBUG=1 for details)\n`);
  return EXIT_CODES.incomplete;
}
