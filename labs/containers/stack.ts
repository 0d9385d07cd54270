/**
 * The lab's Compose stack: which service is the model API (the one built from the Dockerfile) and which the model
 * store, how the API's image behaves in `docker compose up` (its HEALTHCHECK, the programs it has, whether its
 * smoke test passes, and that it needs the store at start-up), and the record the lab keeps of a check.
 */
import type { Image } from '../../src/labkit/docker/build.ts';
import { imageFs } from '../../src/labkit/docker/build.ts';
import { smokeTest } from '../../src/labkit/docker/smoke.ts';
import { profileOf, simulateUp, type ComposeRun, type ServiceProfile } from '../../src/labkit/docker/compose/simulate.ts';
import { validateCompose, type ComposeProblem, type ComposeResult, type ServiceModel } from '../../src/labkit/docker/compose/validate.ts';
import type { ComposeRecord } from './lab.ts';

export interface ComposeOutcome {
  validation: { problems: ComposeProblem[]; services: ServiceModel[]; valid: boolean };
  run: ComposeRun | null;
  record: ComposeRecord;
}

export const apiService = (services: readonly ServiceModel[]) => services.find((s) => s.build) ?? services.find((s) => /api/i.test(s.name)) ?? null;
export const storeService = (services: readonly ServiceModel[]) => services.find((s) => /(^|\/)minio\//.test(s.image ?? '')) ?? services.find((s) => /store/i.test(s.name)) ?? null;

/** How each service behaves; the API's behaviour comes from the image the lab built. */
export function stackProfiles(services: readonly ServiceModel[], image: Image | null): (s: ServiceModel) => ServiceProfile {
  const api = apiService(services);
  return (s) => {
    if (s !== api) return profileOf(s);
    if (!image) return { readyAfter: 0, fails: 'there is no image to run: build the Dockerfile successfully first' };
    const smoke = smokeTest(image);
    const failed = smoke.checks.find((c) => !c.ok);
    const fs = imageFs(image);
    const env = Object.fromEntries(image.config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    const path = (env.PATH ?? '').split(':');
    const tools = ['python', 'python3', 'curl', 'wget', 'sh'].filter((t) => (t === 'sh' ? fs.has('/bin/sh') : path.some((d) => fs.has(`${d}/${t}`))));
    // The API reads MODEL_STORE_URL at start-up and exits when the store does not answer.
    const storeUrl = s.environment.MODEL_STORE_URL ?? '';
    const host = /^[a-z]+:\/\/([^:/]+)/.exec(storeUrl)?.[1];
    const hc = image.config.Healthcheck;
    return {
      readyAfter: 4,
      tools,
      ...(host && services.some((x) => x.name === host) ? { needsAtStart: [host] } : {}),
      ...(failed ? { fails: `${failed.check}: ${failed.detail}` } : {}),
      ...(hc && hc.Test[0] !== 'NONE'
        ? { imageHealthcheck: { test: hc.Test, interval: (hc.Interval ?? 30e9) / 1e9, timeout: (hc.Timeout ?? 30e9) / 1e9, retries: hc.Retries ?? 3, startPeriod: (hc.StartPeriod ?? 0) / 1e9, startInterval: (hc.StartInterval ?? 5e9) / 1e9, disable: false } }
        : {}),
    };
  };
}

export function composeRecordOf(params: { id: string; at: string; compose: string; env: string; image: { id: string } | null }, validation: ComposeResult, run: ComposeRun | null): ComposeRecord {
  const api = apiService(validation.services);
  const store = storeService(validation.services);
  const wait = api && store ? api.dependsOn.find((d) => d.service === store.name) : undefined;
  const storeHasCheck = !!store?.healthcheck && !store.healthcheck.disable;
  const declaredHealthyWait = !!wait && wait.condition === 'service_healthy' && storeHasCheck;
  const started = api && run ? run.startedAt[api.name] : null;
  const healthy = store && run ? run.healthyAt[store.name] : null;
  const up = !!run && !run.error && !!api && run.final[api.name] !== 'exited';
  return {
    id: params.id,
    at: params.at,
    compose: params.compose,
    env: params.env,
    image: params.image?.id ?? null,
    errors: validation.problems.filter((p) => p.severity === 'error').length,
    warnings: validation.problems.filter((p) => p.severity === 'warning').length,
    api: api?.name ?? null,
    store: store?.name ?? null,
    declaredHealthyWait,
    startedAfterHealthy: up && started !== null && started !== undefined && healthy !== null && healthy !== undefined && started >= healthy,
    final: run?.final ?? {},
    ...(run?.error ? { error: run.error } : {}),
  };
}

/** Validates a Compose file and, when it is valid, simulates docker compose up with the lab's image for the API. */
export function checkCompose(params: { id: string; at: string; compose: string; env: string; image: { id: string } | null }, image: Image | null): ComposeOutcome {
  const validation = validateCompose(params.compose, params.env);
  const run = validation.valid ? simulateUp(validation.services, stackProfiles(validation.services, image)) : null;
  return { validation: { problems: validation.problems, services: validation.services, valid: validation.valid }, run, record: composeRecordOf(params, validation, run) };
}
