// Makes sure a Chromium exists for the browser tests. `npx playwright install` cannot download
// on these machines, so when neither Playwright's Chromium nor a system one is present we
// install Debian's package (as root, or through sudo when there is one).
import { execSync } from 'node:child_process';
import { findBrowser } from './find-browser.mjs';

const found = await findBrowser();
if (found) {
  console.log(`browser: ${found.executablePath ?? `playwright ${found.channel}`}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = isRoot ? '' : 'sudo ';
console.log('browser: no Chromium found; installing Debian package "chromium"...');
try {
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`, { stdio: 'inherit' });
} catch {
  console.error('Could not install Chromium. Install it (apt-get install chromium) or set PW_CHROMIUM_PATH.');
  process.exit(1);
}
if (!(await findBrowser())) {
  console.error('Chromium was installed but is still not found.');
  process.exit(1);
}
