import base from './jest.config.js';

/**
 * Browser tests (`npm run test:browser`): Debian's Chromium driven by playwright-core against a
 * running service. One file at a time: each starts a service and a browser.
 */
export default {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser.ts'],
  testTimeout: 90000,
  maxWorkers: 1,
};
