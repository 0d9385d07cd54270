/**
 * A trial's configuration and the data sizes every trial uses, without tfjs, so the coordinator and the page can
 * check a configuration before any worker trains it (labs/tuning/mlp.ts trains it).
 */

/** One configuration of the search space the benchmark measured. */
export interface MlpConfig {
  /** Adam's learning rate. */
  lr: number;
  hidden: number;
  batch: number;
  /** L2 penalty: l2 × the sum of the squared kernel weights is added to the loss. */
  l2: number;
}

/** The images a trial sees: the first TRAIN images of the site's train split train it, the next VALIDATION score it. */
export const TRAIN_IMAGES = 2000;
export const VALIDATION_IMAGES = 1000;

export function checkConfig(config: MlpConfig): void {
  const bad = (what: string) => {
    throw new RangeError(what);
  };
  if (!(config.lr > 0 && config.lr <= 10)) bad(`lr must be a learning rate above 0 and at most 10, got ${config.lr}`);
  if (!Number.isInteger(config.hidden) || config.hidden < 1 || config.hidden > 1024) bad(`hidden must be a whole number of units from 1 to 1024, got ${config.hidden}`);
  if (!Number.isInteger(config.batch) || config.batch < 1 || config.batch > TRAIN_IMAGES) bad(`batch must be a whole number from 1 to ${TRAIN_IMAGES}, got ${config.batch}`);
  if (!(config.l2 >= 0 && config.l2 <= 1)) bad(`l2 must be from 0 to 1, got ${config.l2}`);
}

