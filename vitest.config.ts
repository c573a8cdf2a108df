import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ES builds; plugins load the CommonJS one through
    // require(), so our own imports must too, or graphql sees two copies of itself.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts', 'rest-compat/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Suites start real servers and databases; a slow CI machine must not flake.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more parallel files only make each slower.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
