/**
 * Debian's Chromium (`apt-get install chromium`, `.ci/browser.sh`) driven by playwright-core, which downloads no
 * browser. Every page is opened in a fresh profile with the browser's own background traffic off, and every request
 * and console error is recorded, so a test can prove the report loads nothing and logs nothing.
 *
 * When the browser is missing the tests fail with an error that says how to install it; only
 * MFA_AUDIT_SKIP_BROWSER=1 skips them (locally, never in CI).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../bench/chromium.js';

/** True when the browser tests are to be skipped: only on request, and never silently (the reason is printed). */
export function skipBrowser(): boolean {
  if (process.env.MFA_AUDIT_SKIP_BROWSER !== '1') return false;
  console.warn('test/browser: skipped because MFA_AUDIT_SKIP_BROWSER=1 (CI never sets it)');
  return true;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `test/browser: no Chromium at ${CHROMIUM_PATH}. Install it with .ci/browser.sh (apt-get install chromium), ` +
        'point MFA_AUDIT_CHROMIUM at one, or skip these tests locally with MFA_AUDIT_SKIP_BROWSER=1',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'mfa-audit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Recorded {
  page: Page;
  /** Every URL the page asked for, the document itself included. */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Dialogs (alert, confirm…) the page opened: a script that should not run would open one. */
  dialogs: string[];
}

export async function openRecorded(browser: Browser, url: string): Promise<Recorded> {
  const page = await browser.context.newPage();
  const recorded: Recorded = { page, requests: [], errors: [], dialogs: [] };
  page.on('request', (request) => void recorded.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') recorded.errors.push(message.text());
  });
  page.on('pageerror', (error) => void recorded.errors.push(error.message));
  page.on('dialog', (dialog) => {
    recorded.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return recorded;
}
