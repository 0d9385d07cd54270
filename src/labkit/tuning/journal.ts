/**
 * A study as an Optuna journal file (JournalFileStorage, Optuna ≥ 3.1): one JSON object per line, each an operation
 * with Optuna's op code (0 CREATE_STUDY, 2 SET_STUDY_USER_ATTR, 4 CREATE_TRIAL, 5 SET_TRIAL_PARAM, 6
 * SET_TRIAL_STATE_VALUES, 7 SET_TRIAL_INTERMEDIATE_VALUE, 8 SET_TRIAL_USER_ATTR, 9 SET_TRIAL_SYSTEM_ATTR), written
 * as Python's json.dumps writes them. `optuna.load_study(storage=JournalStorage(JournalFileStorage(path)))` and
 * Optuna Dashboard open it; scripts/oracles/tuning.py checks that Optuna 3.1 reads back the same best value and
 * parameters. The file is a pure function of the study: the same study gives the same bytes.
 */
import { distributionToJson, toInternal } from './distributions.ts';
import { pyJson } from './pyjson.ts';
import type { Direction, FrozenTrial, JsonValue, TrialState } from './study.ts';

const OP = { CREATE_STUDY: 0, SET_STUDY_USER_ATTR: 2, CREATE_TRIAL: 4, SET_TRIAL_PARAM: 5, SET_TRIAL_STATE_VALUES: 6, SET_TRIAL_INTERMEDIATE_VALUE: 7, SET_TRIAL_USER_ATTR: 8, SET_TRIAL_SYSTEM_ATTR: 9 } as const;
const STATE: Record<TrialState, number> = { RUNNING: 0, COMPLETE: 1, PRUNED: 2, FAIL: 3 };

/** What the journal needs of a trial: a trial as the engine keeps it (its number is its place in the study). */
export type JournalTrial = Omit<FrozenTrial, 'number'>;

export interface JournalStudy {
  name: string;
  direction: Direction;
  /** Milliseconds since 1970 at which the study's time 0 lies (trial times are offsets from it). */
  startedAt: number;
  userAttrs: Record<string, JsonValue>;
  trials: JournalTrial[];
}

/** Python's datetime.isoformat(timespec="microseconds") of a UTC time, as Optuna writes naive local times. */
export function isoMicroseconds(ms: number): string {
  const total = Math.round(ms * 1000);
  const seconds = Math.floor(total / 1e6);
  const micro = String(total - seconds * 1e6).padStart(6, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${micro}`;
}

export function journalLines(study: JournalStudy): string {
  const lines: string[] = [];
  const worker = (k: number) => `mlops-course-tuning-lab-worker-${k}`;
  const log = (op: number, w: string, fields: Record<string, unknown>) => lines.push(pyJson({ op_code: op, worker_id: w, ...fields }));
  log(OP.CREATE_STUDY, worker(0), { study_name: study.name, directions: [study.direction === 'minimize' ? 1 : 2] });
  for (const [k, v] of Object.entries(study.userAttrs)) log(OP.SET_STUDY_USER_ATTR, worker(0), { study_id: 0, user_attr: { [k]: v } });
  study.trials.forEach((t, id) => {
    const w = worker(t.worker);
    log(OP.CREATE_TRIAL, w, { study_id: 0, datetime_start: isoMicroseconds(study.startedAt + t.start) });
    for (const [name, value] of Object.entries(t.params)) {
      const d = t.distributions[name]!;
      const internal = toInternal(d, value);
      log(OP.SET_TRIAL_PARAM, w, { trial_id: id, param_name: name, param_value_internal: d.kind === 'categorical' ? internal : pyJson.float(internal), distribution: distributionToJson(d) });
    }
    for (const [step, value] of t.intermediate) log(OP.SET_TRIAL_INTERMEDIATE_VALUE, w, { trial_id: id, step, intermediate_value: pyJson.float(value) });
    for (const [k, v] of Object.entries(t.userAttrs)) log(OP.SET_TRIAL_USER_ATTR, w, { trial_id: id, user_attr: { [k]: v } });
    const system = { ...t.systemAttrs, ...(t.state === 'FAIL' && t.reason ? { fail_reason: t.reason } : {}) };
    for (const [k, v] of Object.entries(system)) log(OP.SET_TRIAL_SYSTEM_ATTR, w, { trial_id: id, system_attr: { [k]: typeof v === 'number' && !Number.isInteger(v) ? pyJson.float(v) : v } });
    if (t.state !== 'RUNNING') {
      log(OP.SET_TRIAL_STATE_VALUES, w, { trial_id: id, state: STATE[t.state], values: t.value === null ? null : [pyJson.float(t.value)], datetime_complete: isoMicroseconds(study.startedAt + (t.end ?? t.start)) });
    }
  });
  return `${lines.join('\n')}\n`;
}
