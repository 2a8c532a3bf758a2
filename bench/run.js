// `npm run bench`: whole-process figures for each part of the product. Each part is its own script, so one can
// be run alone: `node bench/token.js`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const parts = ['token.js', 'tenant.js', 'plan.js', 'html.js', 'collect.js'];
let failed = false;
for (const part of parts) {
  const path = new URL(part, import.meta.url);
  if (!existsSync(path)) continue;
  console.log(`\n== bench/${part} ==`);
  const run = spawnSync(process.execPath, [path.pathname], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
