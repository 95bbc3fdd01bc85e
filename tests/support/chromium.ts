import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// The system's Chromium (`.ci/run` installs it); CHROMIUM_PATH names another one, or none
// (`CHROMIUM_PATH=none`) to run the suite as a machine without it does.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Whether the browser suites can run. Said once per suite rather than per test: everything
 * else in the suite runs without a browser.
 */
export function hasChromium(suite: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found) console.warn(`${suite} skipped: no Chromium at ${CHROMIUM} (install chromium or set CHROMIUM_PATH)`);
  return found;
}

/** Headless, with the flags this machine needs (no sandbox as root, no network of its own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}
