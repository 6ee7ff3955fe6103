// Which Chromium Playwright should drive: PW_CHROMIUM_PATH if set; Playwright's own Chromium
// where it was installed (channel 'chromium' = the full build, no headless-shell download
// needed); else the system Chromium (Debian's package 'chromium').
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable'];

export async function findBrowser() {
  if (process.env.PW_CHROMIUM_PATH) return { executablePath: process.env.PW_CHROMIUM_PATH };
  try {
    const { chromium } = await import('@playwright/test');
    if (existsSync(chromium.executablePath())) return { channel: 'chromium' };
  } catch {
    /* Playwright has no registry entry for this platform */
  }
  const system = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  return system ? { executablePath: system } : null;
}
