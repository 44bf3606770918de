import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing; integration tests share one embedded
// Postgres started once per run (globalSetup) and get a fresh database per file.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Property tests draw hundreds of cases: on two busy cores they take seconds, which is no failure.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: run files in parallel but not more than the machine can hold.
          maxWorkers: 2,
          // After the unit tests when both projects run in one command. Hooks as a stack (the default, stated
          // because tests/fixtures/panel-on-fresh-database.ts relies on it): afterAll hooks in reverse order.
          sequence: { groupOrder: 1, hooks: 'stack' },
        },
      },
    ],
  },
});
