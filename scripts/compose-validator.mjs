// Writes src/labkit/docker/compose/compose-spec-validate.mjs: the official compose-spec schema compiled by ajv ahead
// of time ("standalone" code). Compiling in the page would need `new Function`, which the site's
// Content-Security-Policy forbids. Run after updating compose-spec.json: `node scripts/compose-validator.mjs`.
// src/labkit/docker/compose/validate.test.ts fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeValidatorSource } from '../src/labkit/docker/compose/standalone.mjs';

const out = fileURLToPath(new URL('../src/labkit/docker/compose/compose-spec-validate.mjs', import.meta.url));
writeFileSync(out, composeValidatorSource());
console.log(`wrote ${out}`);
