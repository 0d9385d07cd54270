/**
 * A Compose file checked the way `docker compose config` would check it, in three passes:
 *
 * 1. YAML: syntax errors with their line;
 * 2. interpolation (the Compose specification, "Interpolation"): `$VAR`, `${VAR}`, `${VAR:-default}`,
 *    `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`, nesting, and
 *    `$$` for a literal `$`, with values from the project's `.env` file; a variable that is not set becomes an empty
 *    string and a warning;
 * 3. the official JSON Schema of the Compose specification (compose-spec.json, vendored), then semantic checks the
 *    schema cannot express: services named in depends_on, links, volumes_from and extends exist; depends_on has no
 *    cycle; `condition: service_healthy` names a service with a health check; named volumes, networks, secrets and
 *    configs are declared at the top level; no two services publish the same host port; a service has an image or
 *    a build.
 *
 * Every problem names its path in the file (`services.api.depends_on.store.condition`) and its line.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type ScalarTag } from 'yaml';
import validateSchema from './compose-spec-validate.js';

export interface ComposeProblem {
  /** The path in the file, dotted (`services.api.ports[0]`), or '' for the whole file. */
  path: string;
  /** Which pass found it: YAML syntax, interpolation, the official schema, or the checks the schema cannot make. */
  kind: 'yaml' | 'interpolation' | 'schema' | 'semantic';
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface Healthcheck {
  test: string[] | null;
  interval: number;
  timeout: number;
  retries: number;
  startPeriod: number;
  startInterval: number;
  disable: boolean;
}

export interface ServiceModel {
  name: string;
  image?: string;
  build: boolean;
  dependsOn: { service: string; condition: 'service_started' | 'service_healthy' | 'service_completed_successfully'; required: boolean }[];
  healthcheck: Healthcheck | null;
  ports: { host: number | null; container: number; protocol: string; hostIp: string }[];
  environment: Record<string, string>;
  restart: string;
  command: string[] | null;
}

export interface ComposeResult {
  problems: ComposeProblem[];
  /** The file after interpolation, as plain data (null when it does not parse). */
  data: Record<string, unknown> | null;
  services: ServiceModel[];
  valid: boolean;
}

/** `!reset` and `!override` (used when files are merged) keep their value here: this validator checks one file. */
const COMPOSE_TAGS: ScalarTag[] = [];
const passThrough = (tag: string) => [
  { tag, collection: 'map' as const, identify: () => false, resolve: (value: unknown) => value },
  { tag, collection: 'seq' as const, identify: () => false, resolve: (value: unknown) => value },
  { tag, identify: () => false, resolve: (value: string) => value },
];
const CUSTOM = [...passThrough('!reset'), ...passThrough('!override')] as unknown as ScalarTag[];
COMPOSE_TAGS.push(...CUSTOM);



// ---------------------------------------------------------------------------------------------------------------
// .env and interpolation

/** A `.env` file: KEY=VALUE lines, `#` comments, optional `export`, single or double quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if (/^'.*'$/.test(value)) value = value.slice(1, -1);
    else if (/^".*"$/.test(value)) value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]!] = value;
  }
  return out;
}

export function interpolate(value: string, env: Record<string, string>): { value: string; unset: string[]; error?: string } {
  const unset: string[] = [];
  let error: string | undefined;
  let i = 0;
  const lookup = (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);
  const braced = (body: string): string => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(body);
    if (!m) {
      error ??= `invalid interpolation format for "\${${body}}"`;
      return '';
    }
    const [, name, rest] = m as unknown as [string, string, string];
    const v = lookup(name);
    const nested = (text: string) => {
      const r = interpolate(text, env);
      unset.push(...r.unset);
      error ??= r.error;
      return r.value;
    };
    if (!rest) {
      if (v === undefined) unset.push(name);
      return v ?? '';
    }
    const op = rest.startsWith(':') ? rest.slice(0, 2) : rest[0]!;
    const arg = rest.slice(op.length);
    switch (op) {
      case ':-':
        return v === undefined || v === '' ? nested(arg) : v;
      case '-':
        return v === undefined ? nested(arg) : v;
      case ':+':
        return v !== undefined && v !== '' ? nested(arg) : '';
      case '+':
        return v !== undefined ? nested(arg) : '';
      case ':?':
      case '?':
        if (v === undefined || (op === ':?' && v === '')) error ??= `required variable ${name} is missing a value${arg ? `: ${nested(arg)}` : ''}`;
        return v ?? '';
      default:
        error ??= `invalid interpolation format for "\${${body}}"`;
        return '';
    }
  };
  let out = '';
  while (i < value.length) {
    const c = value[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      let depth = 0;
      let close = -1;
      for (let k = i + 1; k < value.length; k++) {
        if (value[k] === '{') depth++;
        else if (value[k] === '}' && --depth === 0) {
          close = k;
          break;
        }
      }
      if (close < 0) {
        error ??= `invalid interpolation format for "${value}": "\${" is never closed`;
        out += value.slice(i);
        break;
      }
      out += braced(value.slice(i + 2, close));
      i = close + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1));
      if (!m) {
        out += '$';
        i++;
        continue;
      }
      const v = lookup(m[0]);
      if (v === undefined) unset.push(m[0]);
      out += v ?? '';
      i += 1 + m[0].length;
    }
  }
  return { value: out, unset, ...(error ? { error } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------

type PathPart = string | number;
const showPath = (parts: readonly PathPart[]) => parts.map((p, k) => (typeof p === 'number' ? `[${p}]` : k ? `.${p}` : p)).join('');

/** The YAML node at a path, for its line. */
function nodeAt(doc: Document, parts: readonly PathPart[]): Node | null {
  let node: unknown = doc.contents;
  for (const p of parts) {
    if (isMap(node)) node = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p))?.value ?? null;
    else if (isSeq(node)) node = node.items[Number(p)] ?? null;
    else return null;
    if (node === null) return null;
  }
  return (node as Node) ?? null;
}

/** The key node of the last part of a path (a missing or extra property is best shown on its key). */
function keyAt(doc: Document, parts: readonly PathPart[]): Node | null {
  const parent = nodeAt(doc, parts.slice(0, -1));
  if (!isMap(parent)) return null;
  return (parent.items.find((it) => isScalar(it.key) && String(it.key.value) === String(parts.at(-1)))?.key as Node) ?? null;
}

function durationSeconds(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value / 1e9;
  if (typeof value !== 'string') return fallback;
  let total = 0;
  let matched = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|ns|m|s)/g)) {
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 }[m[2] as 'h'];
    matched += m[0].length;
  }
  return matched === value.length && matched > 0 ? total : fallback;
}

export function validateCompose(text: string, dotenv = ''): ComposeResult {
  const problems: ComposeProblem[] = [];
  const counter = new LineCounter();
  // Compose reads YAML 1.1 merge keys (<<: *anchor) and its own !reset and !override tags.
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, merge: true, customTags: COMPOSE_TAGS });
  const lineOf = (node: Node | null | undefined) => (node?.range ? counter.linePos(node.range[0]).line : 1);
  for (const e of doc.errors) problems.push({ path: '', kind: 'yaml', line: counter.linePos(e.pos[0]).line, severity: 'error', message: `YAML: ${e.message.split('\n')[0]}` });
  if (doc.errors.length) return { problems, data: null, services: [], valid: false };
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (raw === null || raw === undefined) {
    problems.push({ path: '', kind: 'schema', line: 1, severity: 'error', message: 'the file is empty: a Compose file needs at least services (or include)' });
    return { problems, data: null, services: [], valid: false };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path: '', kind: 'schema', line: 1, severity: 'error', message: 'a Compose file is a mapping with top-level keys such as services, volumes and networks' });
    return { problems, data: null, services: [], valid: false };
  }

  // Interpolation of every string value.
  const env = parseDotenv(dotenv);
  const unsetSeen = new Set<string>();
  const walk = (value: unknown, parts: PathPart[]): unknown => {
    if (typeof value === 'string') {
      const r = interpolate(value, env);
      const line = lineOf(nodeAt(doc, parts));
      if (r.error) problems.push({ path: showPath(parts), kind: 'interpolation', line, severity: 'error', message: r.error });
      for (const name of r.unset) {
        if (unsetSeen.has(name)) continue;
        unsetSeen.add(name);
        problems.push({ path: showPath(parts), kind: 'interpolation', line, severity: 'warning', message: `the "${name}" variable is not set: it becomes an empty string (set it in .env, or write \${${name}:-default})` });
      }
      return r.value;
    }
    if (Array.isArray(value)) return value.map((v, k) => walk(v, [...parts, k]));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.startsWith('x-') && !parts.length ? v : walk(v, [...parts, k])]));
    return value;
  };
  const data = walk(raw, []) as Record<string, unknown>;

  // The schema. Errors of a `oneOf` branch are noise once a simpler error explains the problem.
  // The official schema, compiled ahead of time by scripts/compose-validator.mjs (the page may not compile code).
  const validate = validateSchema as unknown as ValidateFunction;
  if (!validate(data)) {
    const errors = simplify(validate.errors ?? []);
    for (const e of errors) {
      const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : null;
      const where = extra ? [...parts, extra] : parts;
      const node = extra ? keyAt(doc, where) : (keyAt(doc, where) ?? nodeAt(doc, where));
      problems.push({ path: showPath(where) || '(top level)', kind: 'schema', line: lineOf(node), severity: 'error', message: schemaMessage(e, extra) });
    }
  }
  const services = semantic(data, problems, (parts) => lineOf(keyAt(doc, parts) ?? nodeAt(doc, parts)));
  problems.sort((a, b) => a.line - b.line || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return { problems, data, services, valid: !problems.some((p) => p.severity === 'error') };
}

/** Keeps the errors that explain a failure: for oneOf/anyOf, the errors of the branch that got furthest. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: ErrorObject[] = [];
  for (const [path, list] of byPath) {
    // A deeper error under this path already explains a oneOf failure here.
    const deeper = errors.some((e) => e.instancePath.startsWith(`${path}/`));
    for (const e of list) {
      if ((e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') && deeper) continue;
      if (e.keyword === 'type' && list.some((x) => x.keyword === 'oneOf' || x.keyword === 'anyOf') && !deeper) continue;
      if (!out.some((x) => x.instancePath === e.instancePath && x.keyword === e.keyword && JSON.stringify(x.params) === JSON.stringify(e.params))) out.push(e);
    }
  }
  // Type errors of alternative branches at the same path: keep one, stating every type that would do.
  const merged: ErrorObject[] = [];
  for (const e of out) {
    const same = merged.find((m) => m.keyword === 'type' && e.keyword === 'type' && m.instancePath === e.instancePath);
    if (same) (same.params as { type: string }).type = `${(same.params as { type: string }).type} or ${(e.params as { type: string }).type}`;
    else merged.push({ ...e, params: { ...e.params } });
  }
  return merged.slice(0, 30);
}

function schemaMessage(e: ErrorObject, extra: string | null): string {
  if (extra) return `"${extra}" is not allowed here (the Compose specification has no such key${/^[a-z_]+$/.test(extra) ? '' : '; extension keys must start with x-'})`;
  switch (e.keyword) {
    case 'type':
      return `must be ${String((e.params as { type: string }).type).replace(/,/g, ' or ')}`;
    case 'required':
      return `needs "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return `"${String(e.data)}" does not have the expected form`;
    case 'oneOf':
    case 'anyOf':
      return 'does not match any of the forms the specification allows here';
    case 'uniqueItems':
      return 'lists the same item twice';
    case 'propertyNames':
      return 'has a key that is not a valid name';
    default:
      return e.message ?? 'is not valid';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Semantic checks

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function parsePort(spec: unknown): ServiceModel['ports'] {
  if (typeof spec === 'number') return [{ host: null, container: spec, protocol: 'tcp', hostIp: '' }];
  if (typeof spec === 'object' && spec) {
    const p = spec as { target?: number; published?: string | number; protocol?: string; host_ip?: string };
    return [{ host: p.published === undefined ? null : Number(String(p.published).split('-')[0]), container: Number(p.target), protocol: p.protocol ?? 'tcp', hostIp: p.host_ip ?? '' }];
  }
  if (typeof spec !== 'string') return [];
  const [main, protocol = 'tcp'] = spec.split('/');
  const parts = main!.split(':');
  const container = parts.at(-1)!;
  const host = parts.length >= 2 ? parts.at(-2)! : null;
  const hostIp = parts.length === 3 ? parts[0]! : '';
  const range = (r: string) => {
    const [a, b] = r.split('-').map(Number);
    return b === undefined ? [a!] : Array.from({ length: Math.max(0, b - a! + 1) }, (_, k) => a! + k);
  };
  const containers = range(container);
  const hosts = host === null || host === '' ? null : range(host);
  return containers.map((c, k) => ({ host: hosts ? (hosts[k] ?? hosts[0]!) : null, container: c, protocol, hostIp }));
}

function commandList(v: unknown): string[] | null {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return ['CMD-SHELL', v];
  return null;
}

function semantic(data: Record<string, unknown>, problems: ComposeProblem[], line: (parts: PathPart[]) => number): ServiceModel[] {
  const services = asObject(data.services);
  const names = Object.keys(services);
  const add = (parts: PathPart[], severity: ComposeProblem['severity'], message: string) => problems.push({ path: showPath(parts), kind: 'semantic', line: line(parts), severity, message });
  const declared = (kind: string) => new Set(Object.keys(asObject(data[kind])));
  const volumes = declared('volumes');
  const networks = declared('networks');
  const secrets = declared('secrets');
  const configs = declared('configs');
  const models: ServiceModel[] = [];
  for (const name of names) {
    const s = asObject(services[name]);
    const at = (...rest: PathPart[]) => ['services', name, ...rest];
    if (s.image === undefined && s.build === undefined && s.extends === undefined) add(at(), 'warning', `service "${name}" has neither an image nor a build section: docker compose up cannot start it`);
    // Values the schema leaves as strings (they may come from interpolation) but Compose reads as something else.
    if (s.restart !== undefined && !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(String(s.restart))) add(at('restart'), 'error', `restart must be no, always, on-failure[:max-retries] or unless-stopped, not "${String(s.restart)}"`);
    const whole = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v));
    if (!whole(asObject(s.healthcheck).retries)) add(at('healthcheck', 'retries'), 'error', `retries must be a whole number, not "${String(asObject(s.healthcheck).retries)}"`);
    if (!whole(asObject(s.deploy).replicas)) add(at('deploy', 'replicas'), 'error', `replicas must be a whole number, not "${String(asObject(s.deploy).replicas)}"`);
    if (s.network_mode !== undefined && s.networks !== undefined) add(at(), 'error', `service "${name}" sets both network_mode and networks, which exclude each other`);
    // depends_on
    const deps: ServiceModel['dependsOn'] = [];
    const rawDeps = s.depends_on;
    if (Array.isArray(rawDeps)) for (const d of rawDeps) deps.push({ service: String(d), condition: 'service_started', required: true });
    else for (const [dep, spec] of Object.entries(asObject(rawDeps))) {
      const o = asObject(spec);
      deps.push({ service: dep, condition: (o.condition as ServiceModel['dependsOn'][number]['condition']) ?? 'service_started', required: o.required !== false });
    }
    deps.forEach((d, k) => {
      const where = Array.isArray(rawDeps) ? at('depends_on', k) : at('depends_on', d.service);
      if (!names.includes(d.service)) add(where, 'error', `depends on "${d.service}", which is not a service in this file (services: ${names.join(', ')})`);
      if (d.service === name) add(where, 'error', `service "${name}" depends on itself`);
    });
    for (const key of ['links', 'volumes_from'] as const) {
      const list = Array.isArray(s[key]) ? (s[key] as unknown[]) : [];
      list.forEach((l, k) => {
        const target = String(l).split(':')[0]!;
        if (key === 'volumes_from' && target.startsWith('container')) return;
        if (!names.includes(target)) add(at(key, k), 'error', `"${target}" is not a service in this file`);
      });
    }
    // volumes
    const vols = Array.isArray(s.volumes) ? (s.volumes as unknown[]) : [];
    vols.forEach((v, k) => {
      const source = typeof v === 'string' ? (v.split(':').length > 1 ? v.split(':')[0]! : null) : (asObject(v).type === 'volume' ? (asObject(v).source as string | undefined) ?? null : null);
      if (source && !/^[./~]/.test(source) && !source.startsWith('$') && !volumes.has(source)) add(at('volumes', k), 'error', `the named volume "${source}" is not declared: add it under the top-level volumes key`);
    });
    // networks, secrets, configs
    const refs = (key: string, set: Set<string>, what: string) => {
      const v = s[key];
      const list = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(asObject(x).source ?? ''))) : Object.keys(asObject(v));
      list.forEach((n, k) => {
        if (n && !set.has(n) && !(key === 'networks' && n === 'default')) add(Array.isArray(v) ? at(key, k) : at(key, n), 'error', `the ${what} "${n}" is not declared at the top level`);
      });
    };
    refs('networks', networks, 'network');
    refs('secrets', secrets, 'secret');
    refs('configs', configs, 'config');
    // healthcheck
    const hc = asObject(s.healthcheck);
    let healthcheck: Healthcheck | null = null;
    if (s.healthcheck !== undefined) {
      const test = commandList(hc.test);
      const disable = hc.disable === true || (Array.isArray(hc.test) && hc.test[0] === 'NONE');
      if (!disable && !test) add(at('healthcheck'), 'error', 'healthcheck needs a test (a list such as ["CMD", "curl", "-f", "http://localhost"], or a string for the shell)');
      if (Array.isArray(hc.test) && !['CMD', 'CMD-SHELL', 'NONE'].includes(String(hc.test[0]))) add(at('healthcheck', 'test'), 'error', 'a test list must start with "CMD", "CMD-SHELL" or "NONE"');
      for (const key of ['interval', 'timeout', 'start_period', 'start_interval']) {
        if (hc[key] !== undefined && durationSeconds(hc[key], NaN) !== durationSeconds(hc[key], NaN)) add(at('healthcheck', key), 'error', `"${String(hc[key])}" is not a duration (write 10s, 1m30s or 500ms)`);
      }
      healthcheck = {
        test: disable ? null : test,
        interval: durationSeconds(hc.interval, 30),
        timeout: durationSeconds(hc.timeout, 30),
        retries: hc.retries === undefined ? 3 : Number(hc.retries) || 0,
        startPeriod: durationSeconds(hc.start_period, 0),
        startInterval: durationSeconds(hc.start_interval, 5),
        disable,
      };
    }
    const ports = (Array.isArray(s.ports) ? (s.ports as unknown[]) : []).flatMap((p) => parsePort(p));
    const environment: Record<string, string> = {};
    if (Array.isArray(s.environment)) for (const e of s.environment as string[]) environment[String(e).split('=')[0]!] = String(e).split('=').slice(1).join('=');
    else for (const [k, v] of Object.entries(asObject(s.environment))) environment[k] = v === null ? '' : String(v);
    models.push({
      name,
      ...(typeof s.image === 'string' ? { image: s.image } : {}),
      build: s.build !== undefined,
      dependsOn: deps.map(({ service, condition, required }) => ({ service, condition, required })),
      healthcheck,
      ports,
      environment,
      restart: typeof s.restart === 'string' ? s.restart : 'no',
      command: commandList(s.command),
    });
  }
  // condition: service_healthy needs a health check somewhere.
  for (const m of models) {
    for (const d of m.dependsOn) {
      const target = models.find((x) => x.name === d.service);
      if (d.condition === 'service_healthy' && target && (!target.healthcheck || target.healthcheck.disable) && !target.build) {
        add(['services', m.name, 'depends_on', d.service, 'condition'], 'error', `waits for "${d.service}" to be healthy, but "${d.service}" has no healthcheck (add one to that service; an image with a HEALTHCHECK would also do)`);
      }
      if (d.condition === 'service_healthy' && target?.build && !target.healthcheck) {
        add(['services', m.name, 'depends_on', d.service, 'condition'], 'warning', `waits for "${d.service}" to be healthy: that works only if its image has a HEALTHCHECK`);
      }
    }
  }
  // Cycles in depends_on.
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): boolean => {
    if (state.get(n) === 'done') return false;
    if (state.get(n) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(n)), n];
      add(['services', cycle[0]!, 'depends_on'], 'error', `depends_on has a cycle: ${cycle.join(' → ')}; Compose cannot decide what to start first`);
      return true;
    }
    state.set(n, 'visiting');
    stack.push(n);
    const found = (models.find((m) => m.name === n)?.dependsOn ?? []).some((d) => names.includes(d.service) && visit(d.service));
    stack.pop();
    state.set(n, 'done');
    return found;
  };
  for (const n of names) if (visit(n)) break;
  // Host ports published twice.
  const used = new Map<string, string>();
  for (const m of models) {
    m.ports.forEach((p) => {
      if (p.host === null) return;
      const key = `${p.hostIp || '0.0.0.0'}:${p.host}/${p.protocol}`;
      const other = used.get(key);
      if (other && other !== m.name) add(['services', m.name, 'ports'], 'error', `host port ${p.host}/${p.protocol} is already published by "${other}": two containers cannot bind the same host port`);
      else used.set(key, m.name);
    });
  }
  return models;
}
