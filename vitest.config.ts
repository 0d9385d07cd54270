import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'labs/**/*.test.{ts,mjs}', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'],
    // A lab's own project files (labs/<lab>/repo/) are tests the lab runs in the page, not tests of this site.
    exclude: ['labs/*/repo/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node's loader refuses;
    // inlined, Vite transforms it as the site's build does.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
