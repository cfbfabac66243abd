// Tests run as native ES modules: MikroORM 7 is ESM-only and uses import.meta,
// which a CommonJS transform cannot express.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
      module: { type: 'es6' },
    },
  ],
};
// Tests live under test/; the code they import is found by its path. Rooting jest there keeps it from
// crawling .tools (the Temporal server's Go module cache holds ~1.5 GB, snapshots included) and builds.
const common = { testEnvironment: 'node', extensionsToTreatAsEsm: ['.ts'], transform, roots: ['<rootDir>/test'] };

/** @type {import('jest').Config} */
export default {
  // Two cores, and the servers need one: more workers only queue behind each other.
  maxWorkers: 2,
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // The chaos runner starts servers of its own, as separate processes: no global setup.
    { ...common, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/test/workflow/**/*.test.ts',
        '<rootDir>/test/integration/**/*.test.ts',
        '<rootDir>/test/e2e/**/*.test.ts',
        '<rootDir>/test/browser/**/*.test.ts',
      ],
      // One Temporal dev server, one PostgreSQL and one SMTP sink for the whole run; a project's
      // global setup runs only when at least one of its tests is selected. The server folders share
      // one project so that a run selecting several of them still starts the servers once.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
