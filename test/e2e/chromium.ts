// Launches Debian's Chromium through playwright-core. Without /usr/bin/chromium the e2e tests are
// skipped with a visible notice, except in CI (CI=true), where that is a failure.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type FrameLocator, type Locator } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const resultsDir = resolve(import.meta.dirname, '../../test-results');

/** True when Chromium can run; throws in CI when it is missing. */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      `Chromium is required for the e2e tests in CI: install it (apt-get install -y chromium) at ${chromiumPath}`,
    );
  }
  console.warn(`⚠ e2e tests SKIPPED: ${chromiumPath} is absent (apt-get install -y chromium)`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(resultsDir, { recursive: true });
  return resolve(resultsDir, `${name}.png`);
}

/** Grows a frame to its content and screenshots it, so the PNG shows the whole page at the frame's width. */
export async function shootFrame(frame: Locator, content: FrameLocator, name: string): Promise<void> {
  const height = await content.locator('body').evaluate((b) => b.scrollHeight);
  await frame.evaluate((el, h) => {
    (el as HTMLElement).style.height = `${h}px`;
  }, height);
  await frame.screenshot({ path: screenshotPath(name) });
}
