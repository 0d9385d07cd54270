/**
 * What a lecturer's verify page can re-derive from a monitoring report bundle beyond the shared checks (measured
 * values recomputed from the state, criteria, report.md regenerated, the student's code re-run): every detector and
 * Page-Hinkley setting is one the lab accepts, and every count is consistent with the lab's protocol (200 windows or
 * runs, per-feature flags within the alarms, a delay or a miss for every change run that did not alarm early). The
 * counts themselves came from the model in the student's browser; re-running them needs that model, so they are
 * reported as not checkable here. Alert rules' unit tests are pure and run again here.
 */
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { checkDetector, checkPh } from './detect.ts';
import { PH_RUNS, WINDOWS } from './experiments.ts';
import type { MonitoringState } from './lab.ts';
import { parseRules } from '../../src/labkit/promql/rules.ts';
import { parseTests, runTests } from '../../src/labkit/promql/promtool.ts';

const claim = (text: string, problems: string[]): Claim => (problems.length ? { claim: text, status: 'contradicted', detail: problems.join('; ') } : { claim: text, status: 'confirmed' });

export const verifyMonitoring: LabVerifier<MonitoringState> = async (state) => {
  const claims: Claim[] = [];
  for (const d of state.detectors) {
    const problems = Object.values(checkDetector(d.config)).filter((x): x is string => !!x);
    for (const [name, run] of [['no-drift', d.falseAlarms], ['drifted', d.power]] as const) {
      if (run.windows !== WINDOWS) problems.push(`${name} windows: ${run.windows}, the lab runs ${WINDOWS}`);
      for (const [f, k] of Object.entries(run.flagged)) if (k! > run.alarms) problems.push(`${name}: ${f} flagged in ${k} windows but only ${run.alarms} alarms`);
      if (run.alarms > 0 && !Object.keys(run.flagged).length) problems.push(`${name}: alarms without a flagged feature`);
    }
    claims.push(claim(`Detector ${d.id}: its settings and counts fit the lab's protocol`, problems));
  }
  for (const s of state.sweeps) {
    const problems = Object.values(checkDetector({ ...s.config, window: 100 })).filter((x): x is string => !!x);
    for (const r of s.rows) {
      const any = s.rows.find((x) => x.window === r.window && x.feature === 'any');
      if (!any) problems.push(`window ${r.window}: no row for the detector as a whole`);
      else if (r.alarms > any.alarms) problems.push(`window ${r.window}: ${r.feature} flagged ${r.alarms} times, more than the ${any.alarms} alarms`);
    }
    claims.push(claim(`Calibration ${s.id}: its settings and counts fit the lab's protocol`, problems));
  }
  for (const c of state.concept) {
    const problems = Object.values(checkPh(c.ph)).filter((x): x is string => !!x);
    if (c.runs !== PH_RUNS) problems.push(`${c.runs} runs, the lab makes ${PH_RUNS}`);
    if (c.stableAlarms > c.runs) problems.push('more stable streams with an alarm than streams');
    if (c.delays.length + c.early !== c.runs) problems.push(`${c.delays.length} delays and ${c.early} early alarms do not add up to ${c.runs} runs`);
    claims.push(claim(`Page-Hinkley run ${c.id}: its settings and counts fit the lab's protocol`, problems));
  }
  for (const a of state.alerts) {
    // The unit tests are pure: run them again on the rules as handed in.
    let detail: string | null;
    try {
      const checks = runTests(parseRules(a.rules), parseTests(a.tests)).flatMap((r) => r.checks);
      const passed = checks.filter((c) => c.passed).length;
      detail = checks.length === a.verdict.checks && passed === a.verdict.checksPassed ? null : `run again, ${passed} of ${checks.length} pass`;
    } catch (error) {
      detail = `the rules or tests no longer parse: ${(error as Error).message}`;
    }
    claims.push(detail ? { claim: `Alert rules ${a.id}: ${a.verdict.checksPassed} of ${a.verdict.checks} unit-test checks pass`, status: 'contradicted', detail } : { claim: `Alert rules ${a.id}: ${a.verdict.checksPassed} of ${a.verdict.checks} unit-test checks pass`, status: 'confirmed' });
  }
  if (state.detectors.length + state.sweeps.length + state.concept.length + state.alerts.length) {
    claims.push({ claim: 'The alarm counts were measured on the simulated stream', status: 'not-checkable', detail: 'they come from the model serving the stream in the student\u2019s browser; the settings and seeds are in the evidence, and the lab reruns them the same way' });
  }
  return claims;
};
export default verifyMonitoring;
