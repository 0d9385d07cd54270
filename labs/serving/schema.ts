/** The serving lab's state, as zod schemas: what is kept, with enough detail to re-derive every number. */
import { z } from '../../src/labkit/zod.ts';

const at = z.string().min(1).max(40);
const restoredAt = z.string().optional();
const id = z.string().min(1).max(40);
const nums = (max: number) => z.array(z.number()).max(max);

const loadSpecSchema = z.discriminatedUnion('model', [
  z.object({ model: z.literal('closed'), users: z.number().int().min(1).max(256), durationMs: z.number().positive().max(120_000), ratePerUser: z.number().min(0) }),
  z.object({ model: z.literal('open'), arrivals: z.enum(['constant', 'poisson']), rate: z.number().positive(), durationMs: z.number().positive().max(120_000), maxInFlight: z.number().int().min(1), seed: z.number().int() }),
]);

const MAX_SAMPLES = 50_000;

/** How requests reached the server (records from before the preview existed went straight to the worker). */
const routeSchema = z.enum(['service worker', 'worker']).default('worker');
/** The contract test may also have run under Node in WebContainers, over HTTP inside the container. */
const contractRouteSchema = z.enum(['service worker', 'worker', 'node']).default('worker');

const pathTimes = z
  .object({ roundTripMs: nums(10_000), serverMs: nums(10_000) })
  .refine((o) => o.roundTripMs.length === o.serverMs.length, { message: 'round trips and server times differ in number' });

const loadRecordSchema = z
  .object({
    id,
    at,
    restoredAt,
    route: routeSchema,
    spec: loadSpecSchema,
    /** Per request, in ms from the start: when it was due, when it left, when its answer came back. */
    intended: nums(MAX_SAMPLES),
    sent: nums(MAX_SAMPLES),
    done: nums(MAX_SAMPLES),
    /** 1 when the answer was HTTP 200. */
    ok: z.array(z.union([z.literal(0), z.literal(1)])).max(MAX_SAMPLES),
    /** Milliseconds inside the worker's handler (NaN-free; 0 for a request that never reached it). */
    serverMs: nums(MAX_SAMPLES),
    dropped: z.number().int().min(0),
    timedOut: z.number().int().min(0),
    /** HTTP statuses other than 200, with counts. */
    statuses: z.record(z.string(), z.number().int().min(0)),
    /** The k6-style thresholds the test was run with (comma-separated). */
    thresholds: z.string().max(500),
  })
  .refine((r) => [r.sent, r.done, r.ok, r.serverMs].every((a) => a.length === r.intended.length), { message: 'the sample columns have different lengths' });

const caseSchema = z.object({ name: z.string().max(200), passed: z.boolean(), message: z.string().max(500).optional(), status: z.number().int().optional() });

const costSchema = z.object({ size: z.number().int().min(1), ms: z.number().positive(), throughput: z.number().positive() });
const rowSchema = z.object({ maxBatchSize: z.number().int().min(1), maxQueueDelayMs: z.number().min(0), rate: z.number().positive(), throughput: z.number().min(0), p50: z.number(), p95: z.number(), meanBatch: z.number().min(0) });

export const batchingRecordSchema = z.object({
  id,
  at,
  restoredAt,
  costs: z.array(costSchema).min(1).max(20),
  rate: z.number().positive(),
  seed: z.number().int(),
  rows: z.array(rowSchema).max(100),
  /** The settings the student picked from the sweep. */
  chosen: z.object({ maxBatchSize: z.number().int().min(1), maxQueueDelayMs: z.number().min(0) }).nullable(),
  /** The flush rule that ran: the lab's, or the student's own. */
  flushBy: z.enum(['reference', 'yours']),
});

const countsSchema = z.object({ requests: z.number().int().min(0), errors: z.number().int().min(0) });
const lookSchema = z.object({
  step: z.number().int().min(0),
  share: z.number(),
  baseline: countsSchema,
  canary: countsSchema,
  z: z.number(),
  difference: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }),
  p95: z.object({ baseline: z.number().nullable(), canary: z.number().nullable() }),
  decision: z.enum(['rollback', 'pass', 'promote']),
  reason: z.string().max(300),
});

export const rolloutRecordSchema = z.object({
  id,
  at,
  restoredAt,
  plan: z.object({ mode: z.enum(['canary', 'shadow']), steps: z.array(z.number()).min(1).max(10), lookEvery: z.number().int(), looksPerStep: z.number().int(), alpha: z.number(), latencyTolerance: z.number() }),
  baselineErrorPct: z.number().min(0).max(100),
  regressionPp: z.number().min(0).max(100),
  /** Percent of requests from testers who send `x-version: canary`. */
  testerPct: z.number().min(0).max(50),
  seed: z.number().int(),
  /** The load test whose service times gave the latencies. */
  loadTest: id,
  verdictBy: z.enum(['reference', 'yours']),
  result: z.object({
    outcome: z.enum(['promoted', 'rolled back']),
    looks: z.array(lookSchema).min(1).max(500),
    canaryRequests: z.number().int().min(0),
    requests: z.number().int().min(0),
    firstStepShare: z.number(),
    stickinessViolations: z.number().int().min(0),
    userFacingCanaryErrors: z.number().int().min(0),
    headerRequests: z.number().int().min(0),
  }),
});

const armSchema = z.object({ sessions: z.number().int().min(0), conversions: z.number().int().min(0) });

export const abRecordSchema = z.object({
  id,
  at,
  restoredAt,
  plan: z.object({ baseline: z.number(), mde: z.number(), alpha: z.number(), power: z.number() }),
  /** The sessions per arm the student planned, before the test ran. */
  perArm: z.number().int().min(10).max(2_000_000),
  /** The lift the simulation planted in B (the student chooses it; the analysis does not know it). */
  trueLift: z.number(),
  seed: z.number().int(),
  result: z.object({
    a: armSchema,
    b: armSchema,
    z: z.number(),
    pValue: z.number().min(0).max(1),
    difference: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }),
    decision: z.enum(['B converts better', 'A converts better', 'no significant difference']),
  }),
});

export const stateSchema = z.object({
  /** The server file as it was when last started. */
  server: z.object({ at, restoredAt, source: z.string().max(100_000) }).nullable(),
  contract: z.object({ at, restoredAt, route: contractRouteSchema, outcomes: z.array(caseSchema).min(1).max(100) }).nullable(),
  loadTests: z.array(loadRecordSchema).max(20),
  /** The straight route's times, and (when the preview ran) the service worker route's, measured interleaved. */
  overhead: z
    .object({ at, restoredAt, roundTripMs: nums(10_000), serverMs: nums(10_000), serviceWorker: pathTimes.optional() })
    .refine((o) => o.roundTripMs.length === o.serverMs.length, { message: 'round trips and server times differ in number' })
    .nullable(),
  omission: z
    .object({
      at,
      restoredAt,
      loadTest: id,
      seed: z.number().int(),
      result: z.object({
        stall: z.object({ everyMs: z.number().positive(), forMs: z.number().positive() }),
        closed: z.object({ samples: z.number().int(), p99: z.number(), p99Intended: z.number() }),
        open: z.object({ samples: z.number().int(), p99: z.number(), p99Sent: z.number() }),
        ratio: z.number(),
      }),
    })
    .nullable(),
  batching: z.array(batchingRecordSchema).max(50),
  rollouts: z.array(rolloutRecordSchema).max(100),
  abTests: z.array(abRecordSchema).max(100),
});

export type ServingState = z.infer<typeof stateSchema>;
export type LoadRecordState = z.infer<typeof loadRecordSchema>;
export type BatchingRecord = z.infer<typeof batchingRecordSchema>;
export type RolloutRecord = z.infer<typeof rolloutRecordSchema>;
export type AbRecord = z.infer<typeof abRecordSchema>;
