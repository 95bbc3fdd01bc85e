import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_COORDINATOR, slackDriver, startTrustApp, type TrustApp } from '../support/app.js';
import { programmeGroups, PROGRAMME_NOW } from './fixtures.js';
import { reminderPlan } from '../../src/store/reminder-plan.js';

// The coordinator opens the programme's page in a real browser: the figures of a seeded
// programme as a person reads them, the CSV link followed, screenshots at desktop and
// phone widths, and an accessibility check.

const OUT = path.resolve(process.cwd(), 'build/programme');

describe.skipIf(!hasChromium('programme page in a browser'))('programme page in a browser', () => {
  let trust: TrustApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    trust = await startTrustApp({ now: PROGRAMME_NOW });
    for (const group of programmeGroups()) await trust.app.store.createGroup(group, reminderPlan(group));
    await slackDriver(trust).command(SLACK_COORDINATOR.id, 'programme');
    const token = JSON.stringify(trust.slack.calls).match(/https:\/\/codev\.example\/programme\/([A-Za-z0-9_-]{43})/)![1]!;
    browser = await launchChromium();
    // axe-core's builder needs a page of an explicit context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    const response = await page.goto(`${trust.base}/programme/${token}`);
    expect(response?.status()).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await trust?.close();
  });

  const cells = (table: string, name: string) =>
    page
      .locator(`#${table} tr`, { has: page.locator('th', { hasText: name }) })
      .locator('td')
      .allInnerTexts();

  it('shows each group’s meetings as counted by hand', async () => {
    expect(await page.locator('h1').innerText()).toBe('Programme de codéveloppement : suivi');
    expect(await cells('groups-table', 'Riviera')).toEqual([
      'Teams',
      'Animatrice',
      '6',
      'toutes les 6 semaines',
      '8',
      '6',
      '1',
      '1',
      '30 sept. 2027',
      'oui',
    ]);
    expect(await cells('groups-table', 'Nord vaudois')).toEqual([
      'Slack',
      'Animatrice',
      '5',
      'toutes les 6 semaines',
      '7',
      '5',
      '0',
      '2',
      '14 sept. 2027',
      'non',
    ]);
    expect(await cells('groups-table', 'Chablais')).toEqual([
      'Teams',
      'Animatrice',
      '6',
      'toutes les 6 semaines',
      '7',
      '2',
      '0',
      '5',
      '9 sept. 2027',
      'oui',
    ]);
  });

  it('shows attendance per group and for the programme, naming absent members only where allowed', async () => {
    expect(await cells('attendance-table', 'Riviera')).toEqual(['31', '2', '3', '86 %']);
    expect(await cells('attendance-table', 'Nord vaudois')).toEqual(['24', '0', '1', '96 %']);
    expect(await cells('attendance-table', 'Chablais')).toEqual(['12', '0', '0', '100 %']);
    expect(await cells('attendance-table', 'Programme')).toEqual(['67', '2', '4', '92 %']);
    const details = (name: string) => page.locator('details', { has: page.locator('summary', { hasText: name }) });
    await details('Nord vaudois').locator('summary').click();
    await details('Riviera').locator('summary').click();
    expect(await details('Nord vaudois').innerText()).toContain('Directeur 2');
    expect(await details('Riviera').innerText()).not.toContain('Directeur');
  });

  it('shows ratings only where at least 3 evaluations cover them, and never a comment', async () => {
    expect(await cells('ratings-table', 'Riviera')).toEqual(['0', '0', '0', '12', '6', '18']);
    expect(await cells('ratings-table', 'Nord vaudois')).toEqual(['0', '1', '2', '1', '1', '5']);
    // Chablais has 2 evaluations: no figure, and the programme's leaves them out.
    expect(await cells('ratings-table', 'Chablais')).toEqual(['moins de 3 évaluations : non affiché']);
    expect(await cells('ratings-table', 'Programme')).toEqual(['0', '1', '2', '13', '7', '23']);
    expect(await page.locator('body').innerText()).toContain('2 évaluations de groupes trop petits');
    expect(await page.content()).not.toContain('SECRET');
  });

  it('draws the year as SVG charts, with no script on the page', async () => {
    expect(await page.locator('figure svg[role="img"]').count()).toBe(2);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('figure svg').first().getAttribute('aria-label')).toBe('Séances tenues et taux de présence par mois');
  });

  it('has no serious or critical accessibility violation', async () => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('downloads the same figures as CSV from the page’s link', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tableau CSV (groupes)' }).click()]);
    expect(download.suggestedFilename()).toBe('codev-programme.csv');
    const csv = readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(csv[0]).toContain('level,group_id,group,platform');
    const chablais = csv.find((line) => line.includes(',Chablais,'))!;
    expect(chablais.endsWith(',,,,,,')).toBe(true);
    expect(csv.find((line) => line.startsWith('programme,'))).toContain(',67,2,4,0.918,0,1,2,13,7,23');
  });

  it('reads on a desktop and on a phone (screenshots in build/programme)', async () => {
    await page.screenshot({ path: path.join(OUT, 'programme-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing wider than the phone's screen: no sideways scrolling.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(OUT, 'programme-390.png'), fullPage: true });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
