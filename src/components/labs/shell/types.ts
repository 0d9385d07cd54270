import type { Criterion } from '../../../labkit/report/criteria.ts';

/** What a lab page (src/pages/labs/[lab].astro → Workspace.astro) gives a lab's React island. */
export interface LabProps {
  lab: { id: string; title: string; criteria: Criterion[] };
}
