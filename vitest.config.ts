import { defineConfig } from 'vitest/config';

// Unit tests: no VMs, seconds. The e2e specs have their own config (vitest.e2e.config.ts).
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'provision/**/*.test.ts'],
  },
});
