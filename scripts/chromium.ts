/**
 * Debian's Chromium for playwright-core (the Playwright browser download cannot work on these
 * machines). Without the background-networking flags Chromium keeps calling home, which on a closed
 * network means a flood of failing connections.
 */
import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The system's Chromium, or an error saying how to install it (a missing browser is never a skip). */
export function findChromium(): string {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error(
      `No Chromium found (looked at ${CANDIDATES.join(', ')}). Run \`npm run setup\` as root (it runs apt-get install chromium fonts-wqy-microhei), or install Debian's chromium package.`,
    );
  return found;
}
