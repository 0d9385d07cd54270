/**
 * zod for every lab, configured once: without `jitless`, zod probes `new Function` when a module defines its first
 * object schema, and the site's Content-Security-Policy (no 'unsafe-eval') reports that probe as a violation on
 * every lab page. Import `z` from here, never from 'zod' directly (tests/boundaries.test.ts checks it).
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
export type { ZodType } from 'zod';
