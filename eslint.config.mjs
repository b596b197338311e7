// ESLint 9 flat config. Syntax-only typescript-eslint rules (no type information) keep
// `npm run lint` fast; `npm run typecheck` is the type gate.
//
// The import boundaries of DESIGN.md §2 are enforced here with no-restricted-imports. ESLint
// applies the last matching block's options for a rule, so each folder's block is built from the
// shared lists below rather than layered.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_IO_MODULES = [
  'fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'dns/promises',
  'tls', 'cluster', 'worker_threads', 'readline',
].flatMap((name) => [name, `node:${name}`]);

const DOCKERODE = {
  name: 'dockerode',
  message: 'Only the docker task driver (apps/agent/src/drivers/docker) talks to Docker.',
};
const TYPEORM = {
  group: ['typeorm', 'typeorm/*', '@nestjs/typeorm'],
  message: 'TypeORM stays inside the registry module (apps/master/src/registry).',
};
const ENTITIES = {
  group: ['**/registry/**/*.entity', '**/registry/**/entities/**'],
  message: 'TypeORM entities never leave the registry module; use its repository interfaces.',
};

/** The options of no-restricted-imports for a folder, from the restrictions that apply there. */
function restrictImports({ paths = [], patterns = [] }) {
  return ['error', { paths, patterns }];
}

// Pure libraries: no framework, no database, no bus, no Docker, no I/O (DESIGN §1, STYLE 1).
const PURE = {
  paths: [
    DOCKERODE,
    ...['nats', 'pg'].map((name) => ({ name, message: 'Pure libraries do no I/O.' })),
    ...NODE_IO_MODULES.map((name) => ({ name, message: 'Pure libraries do no I/O; take data in, return data out.' })),
  ],
  patterns: [
    { group: ['@nestjs/*'], message: 'Pure libraries do not depend on NestJS.' },
    { group: ['typeorm', 'typeorm/*'], message: 'Pure libraries do not touch the database.' },
  ],
};

const PURE_LIBS = ['libs/allocator/**/*.ts', 'libs/resources/**/*.ts', 'libs/protocol/**/*.ts'];
const DOCKER_DRIVER = ['apps/agent/src/drivers/docker/**/*.ts'];
const REGISTRY = ['apps/master/src/registry/**/*.ts'];
const CONFIG_FILES = ['apps/*/src/config/**/*.ts'];

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.agora/**', 'bench/results/**', '.ci/out/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain JavaScript: config files and the bin shim.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs', 'bin/agora'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.js', '**/*.cjs', 'bin/agora'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // --- import boundaries (DESIGN §2) ---
  {
    files: ['**/*.ts'],
    ignores: [...DOCKER_DRIVER, ...REGISTRY],
    rules: { 'no-restricted-imports': restrictImports({ paths: [DOCKERODE], patterns: [TYPEORM, ENTITIES] }) },
  },
  {
    files: DOCKER_DRIVER,
    rules: { 'no-restricted-imports': restrictImports({ patterns: [TYPEORM, ENTITIES] }) },
  },
  {
    files: REGISTRY,
    rules: { 'no-restricted-imports': restrictImports({ paths: [DOCKERODE] }) },
  },
  {
    files: PURE_LIBS,
    rules: {
      'no-restricted-imports': restrictImports(PURE),
      // Same events and seed give the same decisions: time and randomness come in as arguments.
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pure libraries take `now` as an argument.' },
        { object: 'Math', property: 'random', message: 'Pure libraries use a seeded PRNG.' },
        { object: 'process', property: 'env', message: 'Pure libraries take configuration as arguments.' },
      ],
    },
  },
  {
    // Plugins are framework adapters: among project code they see only the SDK and the protocol.
    files: ['plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports({
        paths: [DOCKERODE],
        patterns: [
          TYPEORM,
          {
            group: ['@agora/*', '!@agora/framework-sdk', '!@agora/protocol'],
            message: 'Plugins import only @agora/framework-sdk and @agora/protocol.',
          },
          {
            regex: '^(\\.\\./)+(apps|libs|test|bench)(/|$)',
            message: 'Plugins import project code only as @agora/framework-sdk and @agora/protocol.',
          },
        ],
      }),
    },
  },

  // --- configuration: only each app's config class reads the environment (STYLE, NestJS notes) ---
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'plugins/**/*.ts'],
    ignores: [...CONFIG_FILES, ...PURE_LIBS, '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: "Read configuration through the app's config class." },
      ],
    },
  },
);
