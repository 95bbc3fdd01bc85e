import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { catalog } from '../../scripts/cards/catalog.js';

const OUT = path.resolve(process.cwd(), 'build/cards');

describe.skipIf(!hasChromium('cards preview'))('cards preview', () => {
  let browser: Browser;
  let expected = 0;

  beforeAll(async () => {
    // Run the script as `npm run cards:preview` does, entry point included.
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/cards-preview.ts'], { cwd: process.cwd(), stdio: 'pipe' });
    expected = catalog('fr').length + catalog('en').length;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('writes every card for Teams and for Slack, in fr and en', () => {
    const teams = readdirSync(path.join(OUT, 'teams'));
    const slack = readdirSync(path.join(OUT, 'slack'));
    expect(teams.length).toBe(expected);
    expect(slack.sort()).toEqual(teams.sort());
    expect(teams).toContain('step-3-channel.fr.json');
    expect(teams).toContain('step-3-channel.en.json');
  });

  it('renders every card in a browser with the Adaptive Cards renderer, without console errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(`file://${path.join(OUT, 'index.html')}`);
    // A string, so this Node-side file needs no DOM typings.
    const counts = await page.evaluate<{ expected: number; rendered: number; buttons: number }>(`({
      expected: Number(document.body.dataset.expected),
      rendered: document.querySelectorAll('[data-rendered="true"]').length,
      buttons: document.querySelectorAll('button').length,
    })`);
    expect(problems).toEqual([]);
    expect(counts.expected).toBe(expected);
    expect(counts.rendered).toBe(expected);
    expect(counts.buttons).toBeGreaterThan(expected / 2);
    await page.close();
  });
});
