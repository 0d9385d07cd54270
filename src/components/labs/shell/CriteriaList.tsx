/** The lab's acceptance criteria, each with its rule, the measured estimate and its status. */
import { describeRule, formatEstimate, statusLabel, summarize, type Evaluation } from '../../../labkit/report/criteria.ts';
import { StatusIcon } from './StatusIcon.tsx';

export function CriteriaList({ evaluations }: { evaluations: Evaluation[] }) {
  const sum = summarize(evaluations);
  return (
    <section className="lab-criteria" aria-labelledby="lab-criteria-title">
      <h2 id="lab-criteria-title">
        Acceptance criteria <span className="lab-muted">({sum.met} of {sum.total} met)</span>
      </h2>
      <ul data-testid="criteria">
        {evaluations.map((e) => (
          <li key={e.criterion.id} data-criterion={e.criterion.id} data-status={e.status}>
            <StatusIcon status={e.status} />
            <span>
              {e.criterion.label}{' '}
              <span className="lab-muted">
                ({describeRule(e.criterion)}; measured {e.estimate ? formatEstimate(e.estimate, e.criterion.unit) : 'not yet'}: {statusLabel[e.status]})
              </span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
