import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { parse } from 'yaml';
import { courseSchema, deckSchema, guidePageSchema, labSchema, moduleSchema } from './schemas';

export const collections = {
  /** Starlight pages: the home page and the study guide. */
  docs: defineCollection({
    loader: glob({ base: './content', pattern: ['index.mdx', '404.md', 'guide/**/*.{md,mdx}'] }),
    schema: docsSchema({ extend: guidePageSchema }),
  }),
  /** The course: dates, modules and weeks. */
  course: defineCollection({
    loader: file('./content/course.yaml', { parser: (text) => [{ id: 'course', ...parse(text) }] }),
    schema: courseSchema,
  }),
  modules: defineCollection({
    loader: glob({ base: './content/modules', pattern: '*.{md,mdx}' }),
    schema: moduleSchema,
  }),
  slides: defineCollection({
    loader: glob({ base: './content/slides', pattern: ['*.{md,mdx}', '!README.md'] }),
    schema: deckSchema,
  }),
  labs: defineCollection({
    loader: glob({
      base: './labs',
      pattern: '*/index.mdx',
      generateId: ({ entry }) => entry.split('/')[0],
    }),
    schema: labSchema,
  }),
};
