// Debian's Chromium through playwright-core, with the flags that keep it off the closed network.
const { chromium } = require('playwright-core');

function launch() {
  return chromium.launch({
    executablePath: process.env.LP_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

module.exports = { launch };
