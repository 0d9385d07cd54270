/** Status marks drawn as SVG (emoji render as empty boxes where no emoji font is installed). */
import type { CriterionStatus } from '../../../labkit/report/criteria.ts';

const words: Record<CriterionStatus, string> = { met: 'met', 'not-met': 'not met', 'not-measured': 'not measured yet' };

export function StatusIcon({ status }: { status: CriterionStatus }) {
  return (
    <svg className={`lab-icon lab-icon-${status}`} viewBox="0 0 16 16" width="16" height="16" role="img" aria-label={words[status]}>
      <circle cx="8" cy="8" r="7.5" />
      {status === 'met' && <path d="M4.5 8.3 7 10.8l4.6-5" fill="none" strokeWidth="1.8" />}
      {status === 'not-met' && <path d="m5.2 5.2 5.6 5.6m0-5.6-5.6 5.6" fill="none" strokeWidth="1.8" />}
      {status === 'not-measured' && <path d="M8 4.5V8l2.4 1.6" fill="none" strokeWidth="1.6" />}
    </svg>
  );
}
