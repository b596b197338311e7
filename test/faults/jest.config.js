// The fault-injection suite's jest config (`npm run test:faults`, and a step of scripts/test.sh):
// the repo's config narrowed to test/faults/*.fault-spec.ts. The main run's testMatch does not
// match those files, so the suite never runs in parallel with the other test files: its
// clusters need the machine's two cores to themselves. Scenarios in the file run one by one.
const { resolve } = require('node:path');
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: resolve(__dirname, '..', '..'),
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault-spec.ts'],
  testTimeout: 240000,
  maxWorkers: 1,
};
