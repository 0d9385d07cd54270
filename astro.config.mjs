// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import react from '@astrojs/react';
import { focusableCode } from './src/markdown/focusable-code.mjs';
import { remarkMermaid } from './src/markdown/remark-mermaid.mjs';
import { rehypeBasePath } from './src/markdown/base-path.mjs';
import { rehypeFocusableTables } from './src/markdown/focusable-tables.mjs';
import { rehypeFormulas, remarkFormulas } from './src/markdown/math.mjs';
import { remarkSlides } from './src/slides/remark-slides.ts';
import { sidebar, readCourse } from './src/navigation.mjs';
import { siteHeaders } from './scripts/headers.mjs';
import { deployedAt } from './src/integrations/deployed-at.mjs';
import { contentSecurityPolicy } from './src/integrations/csp.mjs';
import { serviceWorker } from './src/integrations/service-worker.mjs';

const headers = siteHeaders();
// Where the site will live: the course file's `url` (a path in it, as in https://user.github.io/course/, becomes the
// base path), or BASE_PATH from the environment, which the tests use to build a copy under a base path.
const { site, base } = deployedAt(readCourse().url, process.env.BASE_PATH);

export default defineConfig({
  site,
  base,
  trailingSlash: 'always',
  server: { headers },
  vite: {
    server: { headers },
    preview: { headers },
    worker: {
      rolldownOptions: {
        output: {
          // Web Worker bundles: strip whitespace only. tfjs-backend-wasm's threaded build sends its own factory function
          // to its pthread workers as source text (Function.prototype.toString), which breaks when a minifier renames
          // or rewrites identifiers ("ReferenceError: e is not defined" / "_scriptDir is not defined", tfjs #4539).
          minify: { mangle: false, compress: false, codegen: { removeWhitespace: true } },
          // The offline Node runtime's worker runs students' code; public/_headers gives this file a stricter policy.
          entryFileNames: (chunk) =>
            chunk.facadeModuleId?.replaceAll('\\', '/').endsWith('/src/labkit/runtime/offline/worker.ts')
              ? '_astro/offline-runtime.worker-[hash].js'
              : '_astro/[name]-[hash].js',
        },
      },
    },
  },
  markdown: {
    remarkPlugins: [remarkFormulas, remarkMermaid, remarkSlides],
    rehypePlugins: [...rehypeFormulas, [rehypeBasePath, { base }], rehypeFocusableTables],
  },
  integrations: [
    starlight({
      title: 'MLOps',
      description: 'An interactive course on Machine Learning Operations: readings, lecture slides and labs that run in the browser.',
      sidebar: sidebar(),
      customCss: ['./src/styles/course.css', 'katex/dist/katex.min.css'],
      components: {
        Head: './src/components/Head.astro',
        Search: './src/components/Search.astro',
        ThemeProvider: './src/components/theme/ThemeProvider.astro',
        ThemeSelect: './src/components/theme/ThemeSelect.astro',
      },
      routeMiddleware: './src/route-data.ts',
      markdown: { processedDirs: ['./content', './labs'] },
      expressiveCode: { plugins: [focusableCode()] },
      lastUpdated: false,
      pagination: true,
    }),
    react(),
    // In this order: the service worker carries the headers that the policy step writes.
    contentSecurityPolicy(),
    serviceWorker(),
  ],
});
