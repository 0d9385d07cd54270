import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'labs/**/*.test.{ts,mjs}', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node's loader refuses;
    // inlined, Vite transforms it as the site's build does.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
