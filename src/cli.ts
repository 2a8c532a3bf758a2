// The only module that touches `process`: it hands the streams, environment and clock to the CLI and sets the
// exit code (never process.exit(), so a piped report is always written out whole).
import { runCli } from './cli/main.js';

// A closed pipe (`mfa-audit ... | head`) is the reader's choice, not a crash: without a listener Node throws.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`mfa-audit: cannot write the report (${error.message})\n`);
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
});
