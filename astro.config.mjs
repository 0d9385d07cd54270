// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import react from '@astrojs/react';
import { focusableCode } from './src/markdown/focusable-code.mjs';
import { remarkMermaid } from './src/markdown/remark-mermaid.mjs';
import { remarkSlides } from './src/slides/remark-slides.ts';
import { sidebar } from './src/navigation.mjs';
import { siteHeaders } from './scripts/headers.mjs';

const headers = siteHeaders();

export default defineConfig({
  site: 'https://mlops-course.example.org',
  trailingSlash: 'always',
  server: { headers },
  vite: {
    server: { headers },
    preview: { headers },
    // Web Worker bundles: strip whitespace only. tfjs-backend-wasm's threaded build sends its own factory function to
    // its pthread workers as source text (Function.prototype.toString), which breaks when a minifier renames or
    // rewrites identifiers ("ReferenceError: e is not defined" / "_scriptDir is not defined", tfjs issue #4539).
    worker: { rolldownOptions: { output: { minify: { mangle: false, compress: false, codegen: { removeWhitespace: true } } } } },
  },
  markdown: { remarkPlugins: [remarkMermaid, remarkSlides] },
  integrations: [
    starlight({
      title: 'MLOps',
      description: 'An interactive course on Machine Learning Operations: readings, lecture slides and labs that run in the browser.',
      sidebar: sidebar(),
      customCss: ['./src/styles/course.css'],
      components: { Head: './src/components/Head.astro', Search: './src/components/Search.astro' },
      routeMiddleware: './src/route-data.ts',
      markdown: { processedDirs: ['./content', './labs'] },
      expressiveCode: { plugins: [focusableCode()] },
      lastUpdated: false,
      pagination: true,
    }),
    react(),
  ],
});
