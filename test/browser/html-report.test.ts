/**
 * The HTML reports in a real browser (Debian's Chromium through playwright-core): the demo tenant's report as the
 * built CLI writes it, a tenant whose names and policy names are hostile markup, and a token report. Each page must
 * load nothing but itself and log no error; search, filters, the drill-down and the keyboard must work; the summary
 * and the fix list must read without JavaScript. A screenshot of the demo report is kept in artifacts/ for CI.
 * Page code is given to the browser as expression strings: this project's types have no DOM.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/built-cli.js';
import { generateTestKey, signFixture } from '../helpers/tokens.js';
import type { Browser } from './chromium.js';
import { launchChromium, openRecorded, skipBrowser } from './chromium.js';

const ARTIFACTS = new URL('../../artifacts/', import.meta.url);
const HOSTILE = new URL('fixtures/hostile-names.snapshot.json', import.meta.url).pathname;
const NOW = ['--now', '2026-11-21T12:00:00Z'];

let dir = '';
let browser: Browser;
const pages = { demo: '', hostile: '', token: '' };

async function writeReport(args: string[], name: string, expectedCode: number, input?: string): Promise<string> {
  const file = join(dir, name);
  const run = await runBuiltCli([...args, '--format', 'html', '--output', file], input ? { input } : {});
  expect(run.stderr, name).not.toMatch(/error/i);
  expect(run.code, `${name}: ${run.stderr}`).toBe(expectedCode);
  return pathToFileURL(file).href;
}

describe.skipIf(skipBrowser())('HTML reports in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mfa-audit-html-'));
    pages.demo = await writeReport(['tenant', '--demo'], 'demo.html', 1);
    pages.hostile = await writeReport(['tenant', '--snapshot', HOSTILE], 'hostile.html', 1);
    const key = await generateTestKey();
    const tokens = [
      await signFixture('pc-v1-app-user-mfa', key),
      await signFixture('pc-v1-app-user-password-only', key),
    ];
    pages.token = await writeReport(['token', ...NOW], 'token.html', 1, tokens.join('\n') + '\n');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the demo report with no request but the file itself and no console error; keeps a screenshot', async () => {
    const { page, requests, errors } = await openRecorded(browser, pages.demo);
    expect(await page.textContent('#verdict')).toContain('26 of 57 accounts can sign in without MFA');
    expect(await page.textContent('#account-count')).toBe('57 of 57 accounts match; showing 1–50');
    expect(await page.locator('#account-list > li').count()).toBe(50);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('html-report-demo.png', ARTIFACTS).pathname, fullPage: true });
    expect(requests).toEqual([pages.demo]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('searches, filters by verdict, kind and role, and pages', async () => {
    const { page, errors } = await openRecorded(browser, pages.demo);
    const count = page.locator('#account-count');
    await page.fill('#q', 'breakglass');
    await expect.poll(() => count.textContent()).toBe('1 of 57 accounts match; showing 1–1');
    expect(await page.textContent('#account-list .upn')).toBe('breakglass01@northwindcloud.onmicrosoft.com');
    await page.fill('#q', '');
    await page.selectOption('#f-verdict', 'unknown');
    await expect.poll(() => count.textContent()).toBe('4 of 57 accounts match; showing 1–4');
    await page.selectOption('#f-verdict', '');
    await page.selectOption('#f-kind', 'service');
    await expect.poll(() => count.textContent()).toBe('3 of 57 accounts match; showing 1–3');
    await page.selectOption('#f-kind', '');
    await page.selectOption('#f-role', 'Global Administrator');
    const admins = await page.locator('#account-list .upn').allTextContents();
    expect(admins).toContain('breakglass01@northwindcloud.onmicrosoft.com');
    expect(admins.length).toBeGreaterThan(1);
    await page.selectOption('#f-role', '');
    await page.click('#next');
    await expect.poll(() => count.textContent()).toBe('57 of 57 accounts match; showing 51–57');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens an account to its gaps: the sign-in in words, the policies, the Partner Center impact', async () => {
    const { page, errors } = await openRecorded(browser, pages.demo);
    await page.fill('#q', 'alberto.moreno');
    await expect.poll(() => page.locator('#account-list > li').count()).toBe(1);
    await page.click('#account-list summary');
    const body = page.locator('#account-list .account-body');
    await expect.poll(() => body.count()).toBe(1);
    const text = (await body.textContent()) ?? '';
    expect(text).toContain("Gap: any sign-in to any app from trusted location 'HQ'");
    expect(text).toContain('Policies: e032f93e-58ab-4878-882f-91e09d469ffe');
    expect(text).toContain('Example sign-in: browser client on windows');
    expect(text).toContain('Partner Center impact');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works from the keyboard: skip link, search, Tab to an account, Enter opens it', async () => {
    const { page, errors } = await openRecorded(browser, pages.demo);
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Skip to the accounts');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('q');
    await page.keyboard.type('lynne');
    await expect.poll(() => page.textContent('#account-count')).toBe('1 of 57 accounts match; showing 1–1');
    let tag = '';
    for (let i = 0; i < 12 && tag !== 'SUMMARY'; i++) {
      await page.keyboard.press('Tab');
      tag = (await page.evaluate<string | undefined>('document.activeElement?.tagName')) ?? '';
    }
    expect(tag).toBe('SUMMARY');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#account-list .gap-text').count()).toBe(2);
    expect(await page.locator('#account-list .gap-text').first().textContent()).toContain('Exchange ActiveSync');
    await page.keyboard.press('Slash');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('q');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('narrows the list to a fix or a coverage group with their buttons', async () => {
    const { page, errors } = await openRecorded(browser, pages.demo);
    const fix = page.locator('button[data-fix="0"]');
    const label = (await fix.textContent()) ?? '';
    const accounts = Number(/\d+/.exec(label)?.[0]);
    await fix.click();
    await expect.poll(() => page.textContent('#account-count')).toMatch(new RegExp(`^${accounts} of 57 accounts`));
    expect(await page.isVisible('#focus')).toBe(true);
    await page.click('#focus-clear');
    await page.click('button[data-group="G1"]');
    await expect.poll(() => page.textContent('#focus-text')).toBe('Showing only: coverage group G1');
    const upns = await page.locator('#account-list .upn').allTextContents();
    expect(upns.length).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the summary, the fix list and the coverage map without JavaScript', async () => {
    const noScript = await launchChromium({ javaScriptEnabled: false });
    try {
      const { page, requests } = await openRecorded(noScript, pages.demo);
      expect(await page.textContent('#verdict')).toContain('26 of 57 accounts can sign in without MFA');
      expect(await page.locator('.fixes > li').count()).toBeGreaterThan(2);
      expect(await page.isVisible('.coverage')).toBe(true);
      expect(await page.textContent('#accounts')).toContain('The account list needs JavaScript');
      expect(await page.locator('button.js-only:visible').count()).toBe(0);
      expect(requests).toEqual([pages.demo]);
    } finally {
      await noScript.close();
    }
  });

  it('shows hostile names and policy names as text: no script runs, bidi controls are made visible', async () => {
    const { page, requests, errors, dialogs } = await openRecorded(browser, pages.hostile);
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    const fixes = (await page.textContent('#fixes')) ?? '';
    expect(fixes).toContain('<img src=x onerror="window.__pwned = 3"> Require MFA \' " &amp;');
    await page.fill('#q', 'admin');
    await expect
      .poll(() => page.locator('#account-list .upn').allTextContents())
      .toEqual(['admin\\u202egpj.exe@contoso.com']);
    await page.fill('#q', 'mallory');
    await expect
      .poll(() => page.locator('#account-list .upn').allTextContents())
      .toEqual(['mallory_evil.example#EXT#@contoso.onmicrosoft.com']);
    expect(await page.textContent('#account-list summary')).toContain('</script><script>window.__pwned = 1</script>');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pages.hostile]);
    await page.close();
  });

  it('renders a token report as one card per token, without a script', async () => {
    const { page, requests, errors } = await openRecorded(browser, pages.token);
    expect(await page.locator('article.card').count()).toBe(2);
    expect(await page.locator('script').count()).toBe(0);
    const second = (await page.textContent('#token-2')) ?? '';
    expect(second).toContain('Partner Center would answer:');
    expect(second).toContain('401');
    await page.click('#token-1 summary');
    expect(await page.isVisible('#token-1 table[aria-label="Claims explained"]')).toBe(true);
    expect(requests).toEqual([pages.token]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
