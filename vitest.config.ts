import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/support/template-check.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
