// `npm run bench` (after `npm run build`): the HTML tenant report, for the demo tenant and a 100,000-account one.
//   render:  `mfa-audit tenant … --format html --output FILE`, wall time of the whole process, and the file's size
//   browser: the file opened in Debian's Chromium (headless, through playwright-core, which downloads no browser):
//            first contentful paint and the load event (the account list's first page is drawn before load ends)
// The big tenant is bench/synthetic-tenant.js (as in bench/tenant.js). Without Chromium (/usr/bin/chromium, or
// MFA_AUDIT_CHROMIUM) the browser figures are "n/a"; `.ci/browser.sh` installs it.
//   BENCH_USERS=20000 node bench/html.js      # a smaller tenant, for a quick look
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeSyntheticTenant } from './synthetic-tenant.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

const root = new URL('../', import.meta.url);
const bin = new URL('bin/mfa-audit.js', root).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-bench-html-'));
const users = Number(process.env.BENCH_USERS ?? 100_000);
const NOW = '2026-11-21T12:00:00Z';

const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const fmtMb = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;

/** Writes the HTML report of one tenant source; returns the file, its size and the wall time. */
function render(label, sourceArgs) {
  const file = join(dir, `${label}.html`);
  const start = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    [bin, 'tenant', ...sourceArgs, '--format', 'html', '--output', file, '--now', NOW],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (![0, 1, 3].includes(child.status) || !existsSync(file)) {
    throw new Error(
      `${label}: exited ${child.status}: ${String(child.stderr).trim().split('\n').slice(-2).join(' | ')}`,
    );
  }
  return { file, bytes: statSync(file).size, ms };
}

/** First contentful paint, load and the first page of the account list, in a fresh headless Chromium. */
async function inBrowser(file) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'mfa-audit-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 300_000 });
    await page.waitForSelector('#account-list > li', { timeout: 300_000 });
    const timing = await page.evaluate(`(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const nav = performance.getEntriesByType('navigation')[0];
      return { fcp: paint ? paint.startTime : NaN, load: nav.loadEventEnd };
    })()`);
    return timing;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function report(label, sourceArgs) {
  const r = render(label, sourceArgs);
  let browser = 'browser n/a (no Chromium: .ci/browser.sh installs it)';
  if (existsSync(CHROMIUM_PATH)) {
    const t = await inBrowser(r.file);
    browser = `first paint ${fmtMs(t.fcp)}, load ${fmtMs(t.load)} in Chromium`;
  }
  console.log(`${label.padEnd(30)} ${fmtMb(r.bytes).padStart(9)}  render ${fmtMs(r.ms).padStart(7)}  ${browser}`);
}

try {
  await report('tenant --demo (html)', ['--demo']);
  const snapshot = join(dir, 'synthetic-tenant.json');
  await writeSyntheticTenant(snapshot, { users });
  await report(`tenant, ${users.toLocaleString('en')} users (html)`, ['--snapshot', snapshot]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
