/**
 * `docker compose up` on the simulated stack: start order from depends_on and its conditions, container start-up
 * times, health checks with Docker's timing (the first check one interval after start, or start_interval during
 * start_period; failures during start_period do not count; `retries` consecutive failures make a container
 * unhealthy), restart policies, and a service that exits when what it needs is not there yet. Times are simulated
 * seconds; the behaviour of each image comes from a small catalogue (how long it takes to be ready, which programs
 * a health check can call in it).
 */
import type { ServiceModel } from './validate.ts';

export interface ServiceProfile {
  /** Seconds from start until the service answers. */
  readyAfter: number;
  /** Programs a health check can run in the image (undefined: unknown, any check passes once ready). */
  tools?: readonly string[];
  /** Environment variables naming another service the process needs at start-up (it exits if that is not ready). */
  needsAtStart?: readonly string[];
  /** The process exits at once with this message (an image that cannot run). */
  fails?: string;
  /** The image's own HEALTHCHECK, used when the service has none. */
  imageHealthcheck?: ServiceModel['healthcheck'];
}

/** What the simulator knows of common images. */
export function profileOf(service: ServiceModel): ServiceProfile {
  const image = service.image ?? '';
  if (/(^|\/)minio\/minio/.test(image)) return { readyAfter: 6, tools: ['mc', 'minio', 'sh'] };
  if (/(^|\/)prom\/prometheus/.test(image)) return { readyAfter: 2, tools: ['wget', 'sh', 'promtool'] };
  if (/(^|\/)postgres/.test(image)) return { readyAfter: 4, tools: ['pg_isready', 'psql', 'sh', 'bash'] };
  if (/(^|\/)redis/.test(image)) return { readyAfter: 1, tools: ['redis-cli', 'sh'] };
  if (/(^|\/)grafana\/grafana/.test(image)) return { readyAfter: 5, tools: ['wget', 'curl', 'sh'] };
  return { readyAfter: 1 };
}

export type ComposeEventKind = 'waiting' | 'created' | 'started' | 'ready' | 'healthy' | 'unhealthy' | 'check-failed' | 'exited' | 'restarting' | 'failed';

export interface ComposeEvent {
  t: number;
  service: string;
  event: ComposeEventKind;
  detail: string;
}

export interface ComposeRun {
  events: ComposeEvent[];
  /** The state of each service at the end. */
  final: Record<string, 'running' | 'healthy' | 'unhealthy' | 'exited' | 'waiting' | 'not started'>;
  /** When each service was first started (null: never). */
  startedAt: Record<string, number | null>;
  healthyAt: Record<string, number | null>;
  /** A `docker compose up` error, as Compose prints it. */
  error?: string;
  horizon: number;
}

const HORIZON = 120;

interface Live {
  s: ServiceModel;
  p: ServiceProfile;
  hc: ServiceModel['healthcheck'];
  started: number | null;
  /** The start of the current run of the container (after restarts). */
  runStart: number | null;
  exitedAt: number | null;
  exitCode: number | null;
  healthy: number | null;
  unhealthy: number | null;
  failures: number;
  nextCheck: number | null;
  restarts: number;
  nextRestart: number | null;
}

export function simulateUp(services: readonly ServiceModel[], profiles: (s: ServiceModel) => ServiceProfile = profileOf): ComposeRun {
  const events: ComposeEvent[] = [];
  const live = new Map<string, Live>(
    services.map((s) => {
      const p = profiles(s);
      return [s.name, { s, p, hc: s.healthcheck && !s.healthcheck.disable ? s.healthcheck : (p.imageHealthcheck ?? null), started: null, runStart: null, exitedAt: null, exitCode: null, healthy: null, unhealthy: null, failures: 0, nextCheck: null, restarts: 0, nextRestart: null }];
    }),
  );
  const say = (t: number, service: string, event: ComposeEventKind, detail: string) => events.push({ t: Math.round(t * 10) / 10, service, event, detail });
  let error: string | undefined;
  const ready = (l: Live, t: number) => l.runStart !== null && l.exitedAt === null && t >= l.runStart + l.p.readyAfter;
  const waitingSaid = new Set<string>();

  const canStart = (l: Live): boolean | 'never' => {
    for (const d of l.s.dependsOn) {
      const dep = live.get(d.service);
      if (!dep) {
        if (d.required) return 'never';
        continue;
      }
      if (d.condition === 'service_started' && dep.started === null) return false;
      if (d.condition === 'service_healthy') {
        if (dep.unhealthy !== null) {
          error ??= `dependency failed to start: container ${dep.s.name} is unhealthy`;
          return 'never';
        }
        if (!dep.hc) {
          error ??= `dependency failed to start: container ${dep.s.name} has no healthcheck configured`;
          return 'never';
        }
        if (dep.healthy === null) return false;
      }
      if (d.condition === 'service_completed_successfully') {
        if (dep.exitCode !== null && dep.exitCode !== 0) {
          error ??= `service "${dep.s.name}" didn't complete successfully: exit ${dep.exitCode}`;
          return 'never';
        }
        if (dep.exitCode === null) return false;
      }
    }
    return true;
  };

  const start = (l: Live, t: number) => {
    l.started ??= t;
    l.runStart = t;
    l.exitedAt = null;
    l.exitCode = null;
    l.failures = 0;
    say(t, l.s.name, l.restarts ? 'restarting' : 'started', l.restarts ? `restart ${l.restarts} (restart: ${l.s.restart})` : 'container started');
    if (l.hc) l.nextCheck = t + (l.hc.startPeriod > 0 ? Math.min(l.hc.startInterval, l.hc.interval) : l.hc.interval);
    if (l.p.fails) {
      exit(l, t + 0.5, 1, l.p.fails);
      return;
    }
    for (const name of l.p.needsAtStart ?? []) {
      const dep = live.get(name);
      if (!dep || !ready(dep, t + 1)) {
        exit(l, t + 1, 1, `could not reach ${name} at start-up (${dep ? 'it is not ready yet' : 'no such service'}): the process exits`);
        return;
      }
    }
  };

  const exit = (l: Live, t: number, code: number, why: string) => {
    l.exitedAt = t;
    l.exitCode = code;
    say(t, l.s.name, 'exited', `exit code ${code}: ${why}`);
    const policy = l.s.restart;
    if (policy === 'always' || policy === 'unless-stopped' || (policy.startsWith('on-failure') && code !== 0)) {
      const max = policy.startsWith('on-failure:') ? Number(policy.split(':')[1]) : Infinity;
      if (l.restarts < max) {
        l.restarts++;
        // Docker doubles the delay between restarts, starting at 100 ms (shown here from 1 s).
        l.nextRestart = t + Math.min(2 ** (l.restarts - 1), 16);
      }
    }
  };

  for (let t = 0; t <= HORIZON; t = Math.round((t + 0.5) * 10) / 10) {
    for (const l of live.values()) {
      if (l.started === null) {
        const ok = canStart(l);
        if (ok === true) start(l, t);
        else if (ok === false && !waitingSaid.has(l.s.name)) {
          waitingSaid.add(l.s.name);
          say(t, l.s.name, 'waiting', `waiting for ${l.s.dependsOn.map((d) => `${d.service} (${d.condition.replace('service_', '')})`).join(', ')}`);
        }
        continue;
      }
      if (l.exitedAt !== null) {
        if (l.nextRestart !== null && t >= l.nextRestart) {
          l.nextRestart = null;
          start(l, t);
        }
        continue;
      }
      if (l.runStart !== null && t === Math.round((l.runStart + l.p.readyAfter) * 10) / 10) say(t, l.s.name, 'ready', 'the service answers');
      if (l.hc && l.nextCheck !== null && t >= l.nextCheck && l.runStart !== null) {
        const inStartPeriod = t < l.runStart + l.hc.startPeriod;
        const program = healthProgram(l.hc.test);
        const missing = program && l.p.tools && !l.p.tools.includes(program) ? `exec: "${program}": executable file not found in $PATH` : null;
        const passed = !missing && ready(l, t);
        if (passed) {
          if (l.healthy === null) {
            l.healthy = t;
            say(t, l.s.name, 'healthy', 'the health check passed');
          }
          l.failures = 0;
        } else if (!inStartPeriod) {
          l.failures++;
          say(t, l.s.name, 'check-failed', `health check failed (${l.failures}/${l.hc.retries})${missing ? `: ${missing}` : ''}`);
          if (l.failures >= l.hc.retries && l.unhealthy === null) {
            l.unhealthy = t;
            say(t, l.s.name, 'unhealthy', `${l.hc.retries} consecutive failed checks`);
          }
        }
        l.nextCheck = t + (inStartPeriod && l.healthy === null ? Math.min(l.hc.startInterval, l.hc.interval) : l.hc.interval);
      }
    }
    if (error) break;
    const settled = [...live.values()].every((l) => (l.started !== null && (l.exitedAt !== null ? l.nextRestart === null : !l.hc || l.healthy !== null || l.unhealthy !== null)));
    if (settled && t > 0) break;
  }
  if (error) {
    for (const l of live.values()) if (l.started === null) say(events.at(-1)?.t ?? 0, l.s.name, 'failed', error);
  }
  const final: ComposeRun['final'] = {};
  for (const l of live.values()) {
    final[l.s.name] = l.started === null ? (error ? 'not started' : 'waiting') : l.exitedAt !== null ? 'exited' : l.unhealthy !== null ? 'unhealthy' : l.healthy !== null ? 'healthy' : 'running';
  }
  return {
    events,
    final,
    startedAt: Object.fromEntries([...live.values()].map((l) => [l.s.name, l.started])),
    healthyAt: Object.fromEntries([...live.values()].map((l) => [l.s.name, l.healthy])),
    ...(error ? { error } : {}),
    horizon: HORIZON,
  };
}

/** The program a health check runs: the first word after CMD, or of the CMD-SHELL command. */
export function healthProgram(test: string[] | null): string | null {
  if (!test?.length) return null;
  if (test[0] === 'CMD') return test[1] ?? null;
  if (test[0] === 'CMD-SHELL') return (test[1] ?? '').trim().split(/\s+/)[0] ?? null;
  return null;
}
