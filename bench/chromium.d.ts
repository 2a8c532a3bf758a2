// Types of bench/chromium.js (how the browser tests and the HTML benchmark start Debian's Chromium).
export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: readonly string[];
