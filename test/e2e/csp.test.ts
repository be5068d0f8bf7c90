// Every page under its real Content-Security-Policy in Chromium: no script, style or frame refused (issue 12:
// a full CSP with no 'unsafe-inline' must not break a page), and the pod still signs in inside the host page.
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './chromium.ts';
import { useSandbox } from './sandbox.ts';

describe.skipIf(!chromiumAvailable())('CSP in Chromium: nothing refused', () => {
  const sandbox = useSandbox('pod-csp-');

  it.each([['/'], ['/setup'], ['/app'], ['/pod?screen=agreement&id=1'], ['/sandbox/host?screen=agreement']])(
    '%s',
    async (path) => {
      const page = await sandbox.browser.newPage();
      const refused: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
      });
      await page.goto(`${sandbox.server.url}${path}`);
      if (path.startsWith('/sandbox/host')) {
        const pod = page.frameLocator('iframe.cw-frame-pod >> nth=0');
        await expect
          .poll(() => pod.locator('.pod-member').textContent(), { timeout: 20_000 })
          .toContain('Signed in as');
      } else {
        await page.waitForLoadState('networkidle');
        expect(await page.locator('body').textContent()).not.toBe('');
      }
      expect(refused).toEqual([]);
      await page.close();
    },
  );
});
