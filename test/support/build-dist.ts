/**
 * Vitest global setup: the end-to-end tests spawn bin/mfa-audit.js, which runs dist/, and the benchmark and demo
 * scripts the tests import load dist/core/snapshot-builder.js. So before any test runs, dist/ is rebuilt
 * (`tsc -p tsconfig.build.json`, what `npm run build` does) when a source file under src/ is newer than its
 * compiled file, or that file is missing. A failed build stops the run with the compiler's messages.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
/** Left in dist/ by a failed build (tsc writes its files even then), so the next run builds again. */
const FAILED = join(DIST, '.build-failed');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Why dist/ needs a build (a source file newer than its compiled file, or none), or undefined when it is current. */
export function staleReason(): string | undefined {
  if (existsSync(FAILED)) return 'the last build failed';
  for (const source of sourceFiles(SRC)) {
    const compiled = join(DIST, relative(SRC, source)).replace(/\.ts$/, '.js');
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs)
      return `${relative(ROOT, source)} changed`;
  }
  return undefined;
}

export default function buildDist(): void {
  const stale = staleReason();
  if (stale === undefined) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
    rmSync(FAILED, { force: true });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    mkdirSync(DIST, { recursive: true });
    writeFileSync(FAILED, `${stdout}${stderr}`);
    throw new Error(
      `dist/ is out of date (${stale}) and \`tsc -p tsconfig.build.json\` failed, so the tests that run dist/ cannot run.\n` +
        `Fix the errors below (or run \`npx tsc -p tsconfig.build.json\` to see them again):\n\n${stdout}${stderr}`,
    );
  }
}
