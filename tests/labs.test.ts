/**
 * The lab contract, checked over every lab: each lab folder has a definition (labs/<lab>/lab.ts) whose id is the
 * folder's, every criterion of its frontmatter names a quantity the lab measures, in the same unit, and may compare an
 * interval end only where the lab gives one; an empty lab measures nothing and its state survives a round trip.
 */
import { describe, expect, it } from 'vitest';
import { checkCriteria, type LabDefinition } from '../src/labkit/lab/define.ts';
import { labCriteria, labIds } from '../src/labkit/lab/node.ts';

const definitions = import.meta.glob<{ default: LabDefinition<unknown> }>('../labs/*/lab.ts');

describe('every lab follows the lab contract', () => {
  for (const lab of labIds()) {
    it(`${lab}: a definition whose criteria match its quantities`, async () => {
      const load = definitions[`../labs/${lab}/lab.ts`];
      expect(load, `labs/${lab}/lab.ts is missing (see labs/README.md)`).toBeDefined();
      const definition = (await load!()).default;
      expect(definition.id).toBe(lab);
      expect(checkCriteria(definition, labCriteria(lab))).toEqual([]);
      const empty = definition.empty();
      expect(definition.measure(empty)).toEqual({});
      expect(definition.parse(JSON.parse(JSON.stringify(empty)), definition.version)).toEqual(empty);
      for (const [name, q] of Object.entries(definition.quantities)) {
        expect(q.describe.length, `${lab}: ${name} says what it measures`).toBeGreaterThan(5);
        if (q.min !== undefined && q.max !== undefined) expect(q.min).toBeLessThan(q.max);
      }
    });
  }
});
