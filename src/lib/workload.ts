/**
 * The study load the course declares: minutes per reading, lecture, lab and the team project, added up and compared
 * with the hours its credits stand for. Pure data in, numbers out, so the study guide's table and the content test
 * compute the same thing.
 */

export const workKinds = ['reading', 'lecture', 'lab', 'project'] as const;
export type WorkKind = (typeof workKinds)[number];

export interface WorkItem {
  kind: WorkKind;
  /** Where the minutes are declared, for messages: `content/modules/data.mdx`. */
  source: string;
  minutes: number | undefined;
}

export interface WorkloadPlan {
  /** Declared minutes per kind of work, and how many items of that kind there are. */
  byKind: Record<WorkKind, { items: number; minutes: number }>;
  totalHours: number;
  /** Hours the credits stand for: credits × the lower and upper hours per credit, and the middle of that range. */
  target: { minHours: number; maxHours: number; midHours: number };
  /** Relative distance of the declared total from the middle of the target range. */
  deviation: number;
  /** Items that declare no minutes: the total cannot be trusted while this list is not empty. */
  undeclared: string[];
}

/** The declared total may differ from the middle of the credits' range by at most this share. */
export const WORKLOAD_TOLERANCE = 0.1;

export function workloadPlan(items: WorkItem[], credits: number, hoursPerCredit: readonly [number, number]): WorkloadPlan {
  if (!(credits > 0)) throw new Error(`credits must be a positive number, got ${credits}`);
  const [low, high] = hoursPerCredit;
  if (!(low > 0 && high >= low)) throw new Error(`hours per credit must be a range such as [25, 30], got [${low}, ${high}]`);
  const byKind = Object.fromEntries(workKinds.map((kind) => [kind, { items: 0, minutes: 0 }])) as WorkloadPlan['byKind'];
  const undeclared: string[] = [];
  for (const item of items) {
    byKind[item.kind].items += 1;
    if (item.minutes === undefined) undeclared.push(item.source);
    else byKind[item.kind].minutes += item.minutes;
  }
  const totalHours = workKinds.reduce((sum, kind) => sum + byKind[kind].minutes, 0) / 60;
  const target = { minHours: credits * low, maxHours: credits * high, midHours: (credits * (low + high)) / 2 };
  return { byKind, totalHours, target, deviation: (totalHours - target.midHours) / target.midHours, undeclared };
}

export function withinTolerance(plan: WorkloadPlan): boolean {
  return plan.undeclared.length === 0 && Math.abs(plan.deviation) <= WORKLOAD_TOLERANCE;
}
