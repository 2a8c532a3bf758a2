// Debian's Chromium as the browser tests and the HTML benchmark start it: the system executable (nothing downloads a
// browser) and the flags this closed network needs (without the background-networking ones Chromium keeps trying to
// reach Google's hosts).
export const CHROMIUM_PATH = process.env.MFA_AUDIT_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);
