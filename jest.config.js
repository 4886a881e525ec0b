/**
 * Jest runs in native ESM mode (`--experimental-vm-modules`, see package.json): NestJS 12 ships
 * as ES modules only. Unit tests sit beside the code (src/**), database and end-to-end tests
 * under test/, and tests of repositories and services on a real database beside the code as
 * `<name>.db.spec.ts`; `npm run test:db` runs the database ones alone, e.g. against PostgreSQL.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30000,
  // On two cores Jest runs every file in its own main process, one after the other, and native
  // ESM test modules are not all given back: the suite outgrew a 4 GB heap and died. With a
  // limit, files run in a worker that is replaced once it holds more than this after a file.
  workerIdleMemoryLimit: '1GB',
};
