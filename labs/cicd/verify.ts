/**
 * What a lecturer's verify page can re-derive from a CI/CD report bundle:
 * - every commit's id is Git's id of its files, parents, author and message (so no commit was edited afterwards);
 * - each run's jobs are the jobs its workflow file, at the run's commit, gives (matrix expanded again);
 * - each kept artifact's digest is the digest of its files;
 * - each quality-gate verdict follows from the kept metrics under the gate's rules, recomputed with the lab's rules.
 * Durations (and so the cache's speed-up) cannot be measured again on another machine.
 */
import type { Claim, LabVerifier } from '../../src/labkit/lab/evidence.ts';
import { digestFiles } from '../../src/labkit/ci/files.ts';
import { commitId, Repo, treeId } from '../../src/labkit/ci/git.ts';
import { gateDecision } from '../../src/labkit/ci/gate-rules.mjs';
import { expandMatrix } from '../../src/labkit/ci/matrix.ts';
import { readWorkflow, tokenValue } from '../../src/labkit/ci/workflow.ts';
import { REPO_FILES } from './files.ts';
import type { CicdState } from './lab.ts';

export const verify: LabVerifier<CicdState> = async (state) => {
  const claims: Claim[] = [];
  if (!state.repo) return [{ claim: 'the repository', status: 'not-checkable', detail: 'the bundle has no repository' }];
  const repo = new Repo(REPO_FILES, state.repo);

  const wrong = state.repo.commits.filter((c) => commitId(treeId(repo.files(c.id)), c.parents, c.author, c.message) !== c.id);
  claims.push({
    claim: `the ${state.repo.commits.length} commits have Git's ids for their files, parents, author and message`,
    status: wrong.length ? 'contradicted' : 'confirmed',
    ...(wrong.length ? { detail: `commits whose content does not give their id: ${wrong.map((c) => c.id.slice(0, 7)).join(', ')}` } : {}),
  });

  for (const run of state.runs) {
    const label = `run #${run.id}`;
    if (!repo.commit(run.sha)) {
      claims.push({ claim: `${label}: its commit is in the repository`, status: 'contradicted', detail: `${run.sha.slice(0, 7)} is not a commit of the repository` });
      continue;
    }
    const text = repo.files(run.sha)[run.file];
    if (text === undefined) {
      claims.push({ claim: `${label}: its workflow file exists at its commit`, status: 'contradicted', detail: `${run.file} is not in ${run.sha.slice(0, 7)}` });
      continue;
    }
    const workflow = await readWorkflow(run.file, text);
    if (workflow.template) {
      const expected: string[] = [];
      for (const job of workflow.template.jobs) {
        const key = job.id.value;
        const name = job.name && job.name.isLiteral ? String(job.name) : key;
        const records = run.jobs.filter((j) => j.key === key);
        // A job that was skipped, cancelled or failed before its matrix expanded is one record, named after the job.
        if (records.length === 1 && !records[0]!.matrix) {
          expected.push(`${key}: ${name}`);
          continue;
        }
        try {
          const strategy = tokenValue(job.strategy as Parameters<typeof tokenValue>[0], { github: {}, inputs: {}, vars: {}, needs: {} }) as { matrix?: unknown } | null;
          const combos = expandMatrix((strategy?.matrix ?? null) as Parameters<typeof expandMatrix>[0]);
          expected.push(...combos.map((c) => `${key}: ${name}${c.segments.length ? ` (${c.segments.join(', ')})` : ''}`));
        } catch {
          expected.push(`${key}: ${name}`);
        }
      }
      const actual = run.jobs.map((j) => `${j.key}: ${j.name}`);
      const same = JSON.stringify([...expected].sort()) === JSON.stringify([...actual].sort());
      claims.push({
        claim: `${label}: its jobs are those of ${run.file} at ${run.sha.slice(0, 7)}`,
        status: same ? 'confirmed' : 'contradicted',
        ...(same ? {} : { detail: `the workflow gives ${expected.join('; ')}; the record has ${actual.join('; ')}` }),
      });
    } else {
      const recorded = run.problems.map((p) => p.message).join(' | ');
      const again = workflow.problems.map((p) => p.message).join(' | ');
      claims.push({ claim: `${label}: the workflow file's problems`, status: recorded === again ? 'confirmed' : 'contradicted', ...(recorded === again ? {} : { detail: `parsing it again gives: ${again}` }) });
    }
    for (const artifact of run.artifacts.filter((a) => Object.keys(a.files).length)) {
      const ok = digestFiles(artifact.files) === artifact.digest;
      claims.push({ claim: `${label}: artifact ${artifact.name} has the digest recorded for it`, status: ok ? 'confirmed' : 'contradicted' });
      const metrics = artifact.files['metrics.json'];
      const gate = artifact.files['gate.json'];
      if (metrics && gate) {
        try {
          const files = repo.files(run.sha);
          const decision = gateDecision(JSON.parse(metrics), JSON.parse(files['champion/metrics.json'] ?? 'null'), JSON.parse(files['ci/gate.json'] ?? 'null'));
          const recorded = JSON.parse(gate) as { passed: boolean };
          claims.push({
            claim: `${label}: the quality gate ${recorded.passed ? 'passed' : 'failed'}, as the lab's rules decide for the kept metrics`,
            status: decision.passed === recorded.passed ? 'confirmed' : 'contradicted',
          });
        } catch (error) {
          claims.push({ claim: `${label}: the quality gate's verdict`, status: 'not-checkable', detail: (error as Error).message });
        }
      }
    }
  }
  claims.push({ claim: 'run durations and the cache speed-up', status: 'not-checkable', detail: 'times cannot be measured again on another machine' });
  return claims;
};

export default verify;
