/** A run's jobs as a graph of `needs` (layout in graph.ts); each job is a button that opens it. */
import type { JobRecord, RunRecord } from '../../../labkit/ci/record.ts';
import { GROUP_HEADER_HEIGHT, JOB_HEIGHT, layoutGraph } from './graph.ts';

export const CONCLUSION_MARK: Record<string, string> = { success: '✔', failure: '✘', cancelled: '⊘', skipped: '–', in_progress: '●', queued: '○' };

export const jobState = (job: Pick<JobRecord, 'status' | 'conclusion'>) => (job.status === 'completed' ? (job.conclusion ?? 'skipped') : job.status);

interface Props {
  run: RunRecord;
  selected: string | null;
  onSelect(jobId: string): void;
}

export function JobGraph({ run, selected, onSelect }: Props) {
  const { nodes, edges, width, height } = layoutGraph(run);
  return (
    <div className="ci-graph lab-scroll" role="region" aria-label={`Job graph of run #${run.id}`} tabIndex={0}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label={`Jobs of run #${run.id} and what each needs`}>
        {edges.map((e) => (
          <path key={`${e.from}-${e.to}`} d={e.path} className="ci-edge" />
        ))}
        {nodes.map((node) => {
          const grouped = node.jobs.length > 1 || Boolean(node.jobs[0]?.matrix);
          return (
            <g key={node.key}>
              {grouped && (
                <>
                  <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={6} className="ci-group" />
                  <text x={node.x + 8} y={node.y + 15} className="ci-group-label">
                    {node.key} · matrix · {node.jobs.length} job{node.jobs.length === 1 ? '' : 's'}
                  </text>
                </>
              )}
              {node.jobs.map((job, i) => {
                const y = node.y + (grouped ? GROUP_HEADER_HEIGHT : 0) + i * JOB_HEIGHT;
                const state = jobState(job);
                const label = `${CONCLUSION_MARK[state] ?? '○'} ${job.matrix ? job.name.replace(/^[^(]*\(/, '(') : job.name}${job.origin === 'added' ? ' +include' : ''}`;
                return (
                  <a
                    key={job.id}
                    href={`#job-${encodeURIComponent(job.id)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      onSelect(job.id);
                    }}
                    aria-label={`${job.name}: ${state}${job.origin === 'added' ? ', added by include' : ''}`}
                  >
                    <rect x={node.x + 4} y={y + 2} width={node.width - 8} height={JOB_HEIGHT - 4} rx={4} className={`ci-job ci-${state}${selected === job.id ? ' is-selected' : ''}`} />
                    <text x={node.x + 12} y={y + JOB_HEIGHT / 2 + 4} className="ci-job-label">
                      {label.length > 28 ? `${label.slice(0, 27)}…` : label}
                    </text>
                  </a>
                );
              })}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
