/**
 * The build simulator against the cache-conformance suite: every scenario's documented decisions (scenarios.mjs),
 * and the decisions Debian's buildah made on the same files (buildah.json, from scripts/oracles/containers-cache.mjs)
 * wherever the scenario does not name a known difference between buildah and BuildKit.
 */
import { describe, expect, it } from 'vitest';
import scenarios from './conformance/scenarios.mjs';
import fixture from './conformance/buildah.json';
import { simulateScenario, type Scenario } from './conformance/simulate.ts';

interface Recorded {
  id: string;
  builds: { decisions: string[][]; files: Record<string, boolean>; error?: string }[];
}
const oracle = fixture as { tool: string; scenarios: Recorded[] };
const all = scenarios as Scenario[];
const buildah = new Map(oracle.scenarios.map((s) => [s.id, s]));

describe('build cache conformance (BuildKit as documented)', () => {
  it('has at least 30 scenarios, each with expectations', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    for (const s of all) expect(s.builds.some((b) => b.expect || b.files), s.id).toBe(true);
  });

  for (const scenario of all) {
    it(`${scenario.id}: ${scenario.title}`, () => {
      const observed = simulateScenario(scenario);
      scenario.builds.forEach((b, k) => {
        const o = observed[k]!;
        expect(o.error, `build ${k + 1} failed`).toBeUndefined();
        if (b.expect) expect(o.decisions, `build ${k + 1}`).toEqual(b.expect);
        if (b.files) expect(o.files, `files after build ${k + 1}`).toEqual(b.files);
      });
    });
  }
});

describe('the buildah oracle agrees with the documented decisions', () => {
  for (const scenario of all.filter((s) => !s.buildah)) {
    it(`${scenario.id}`, () => {
      const recorded = buildah.get(scenario.id);
      expect(recorded, 'run scripts/oracles/containers-cache.mjs').toBeDefined();
      scenario.builds.forEach((b, k) => {
        const r = recorded!.builds[k]!;
        expect(r.error, `buildah build ${k + 1}`).toBeUndefined();
        // buildah does not list the steps of stages it skips.
        if (b.expect) expect(r.decisions, `build ${k + 1}`).toEqual(b.expect.filter(([, d]) => d !== 'skipped'));
        if (b.files) expect(r.files, `files after build ${k + 1}`).toEqual(b.files);
      });
    });
  }
});
