// One jest config for the whole monorepo. Tests are transpiled with swc (fast, no type check);
// `npm run typecheck` is the type gate. Path aliases mirror tsconfig.json "paths".
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/plugins', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: {
    '^@agora/resources$': '<rootDir>/libs/resources/src',
    '^@agora/allocator$': '<rootDir>/libs/allocator/src',
    '^@agora/nest-common$': '<rootDir>/libs/nest-common/src',
  },
  testTimeout: 30000,
};
