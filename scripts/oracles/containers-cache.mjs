// Runs the containers lab's build-cache conformance scenarios (labs/containers/conformance/scenarios.mjs) with a
// real builder, Debian's buildah (`buildah bud --layers`), and writes what it decided for every cache step to
// labs/containers/conformance/buildah.json. The unit tests compare the simulator with these fixtures; CI never
// needs buildah.
//
//   apt-get install -y buildah busybox-static
//   node scripts/oracles/containers-cache.mjs            (about 15 minutes with the vfs storage driver)
//   node scripts/oracles/containers-cache.mjs <id>       (runs one scenario again and replaces it in the fixture)
//
// The base image is `FROM scratch` plus Debian's statically linked busybox with its applets installed, tagged
// busybox:1.36 in a private image store under /tmp, so nothing is pulled from a registry.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import scenarios from '../../labs/containers/conformance/scenarios.mjs';

const ROOT = '/tmp/containers-oracle';
const STORE = ['--root', `${ROOT}/storage`, '--runroot', `${ROOT}/run`, '--storage-driver', 'vfs'];
const OUT = new URL('../../labs/containers/conformance/buildah.json', import.meta.url);
const env = { ...process.env, TMPDIR: `${ROOT}/tmp`, BUILDAH_ISOLATION: 'chroot' };

function buildah(args, options = {}) {
  return execFileSync('buildah', [...STORE, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options });
}

function baseImage() {
  const dir = `${ROOT}/base`;
  mkdirSync(dir, { recursive: true });
  copyFileSync('/bin/busybox', `${dir}/busybox`);
  writeFileSync(`${dir}/Dockerfile`, 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nRUN ["/bin/busybox", "mkdir", "-p", "/tmp", "/root", "/etc"]\nRUN ["/bin/sh", "-c", "echo root:x:0:0:root:/root:/bin/sh > /etc/passwd && echo root:x:0: > /etc/group"]\nCMD ["sh"]\n');
  buildah(['bud', '--layers=false', '-t', 'busybox:1.36', dir]);
}

function writeProject(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    utimesSync(join(dir, path), 1_700_000_000, 1_700_000_000);
  }
}

let clock = 1_700_000_000;
function apply(dir, change) {
  clock += 60;
  if ('edit' in change || 'add' in change) {
    const path = join(dir, change.edit ?? change.add);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, change.text);
    utimesSync(path, clock, clock);
  } else if ('touch' in change) utimesSync(join(dir, change.touch), clock, clock);
  else if ('chmod' in change) chmodSync(join(dir, change.chmod), change.mode);
  else if ('remove' in change) rmSync(join(dir, change.remove));
  else if ('rename' in change) renameSync(join(dir, change.rename[0]), join(dir, change.rename[1]));
  else if ('dockerfile' in change) writeFileSync(join(dir, 'Dockerfile'), change.dockerfile);
  else if ('ignore' in change) writeFileSync(join(dir, '.dockerignore'), change.ignore);
}

const VERTEX = /^(RUN|COPY|ADD|WORKDIR)\b/i;

/** Steps and their decisions from buildah's output: "STEP n/m: INSTRUCTION" then "--> Using cache …" when cached. */
function decisionsOf(output) {
  const steps = [];
  for (const line of output.split('\n')) {
    const step = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (.*)$/.exec(line);
    if (step) steps.push([step[1], 'built']);
    else if (/^--> Using cache /.test(line) && steps.length) steps.at(-1)[1] = 'cached';
  }
  return steps.filter(([text]) => VERTEX.test(text));
}

function filesIn(image, paths) {
  if (!paths.length) return {};
  const container = buildah(['from', '--pull=never', image]).trim().split('\n').at(-1);
  try {
    const mount = buildah(['mount', container]).trim();
    return Object.fromEntries(paths.map((p) => [p, existsSync(join(mount, p))]));
  } finally {
    buildah(['rm', container]);
  }
}

function runScenario(scenario) {
  const dir = `${ROOT}/scenarios/${scenario.id}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/ctx`, { recursive: true });
  const ctx = `${dir}/ctx`;
  writeProject(ctx, scenario.files);
  writeFileSync(join(ctx, 'Dockerfile'), scenario.dockerfile);
  if (scenario.ignore !== undefined) writeFileSync(join(ctx, '.dockerignore'), scenario.ignore);
  const builds = [];
  for (const b of scenario.builds) {
    for (const change of b.changes ?? []) apply(ctx, change);
    if (b.prune) {
      buildah(['rm', '--all']);
      buildah(['rmi', '--prune']);
    }
    const args = ['bud', '--layers', '--pull=never', '--isolation', 'chroot'];
    if (b.noCache) args.push('--no-cache');
    if (b.target) args.push('--target', b.target);
    for (const [k, v] of Object.entries(b.args ?? {})) args.push('--build-arg', `${k}=${v}`);
    if (b.secret) {
      writeFileSync(`${dir}/secret-${b.secret.id}`, b.secret.text);
      args.push('--secret', `id=${b.secret.id},src=${dir}/secret-${b.secret.id}`);
    }
    args.push(ctx);
    let output = '';
    let error;
    try {
      output = buildah(args);
    } catch (e) {
      output = `${e.stdout ?? ''}`;
      error = `${e.stderr ?? e.message}`.trim().split('\n').slice(-3).join(' | ');
    }
    const image = output.trim().split('\n').at(-1);
    const files = error ? {} : filesIn(image, Object.keys(b.files ?? {}));
    builds.push({ decisions: decisionsOf(output), files, ...(error ? { error } : {}) });
  }
  // A clean cache for the next scenario: remove working containers a failed build left, then every image but the base.
  buildah(['rm', '--all']);
  buildah(['rmi', '--prune']);
  return { id: scenario.id, builds };
}

rmSync(ROOT, { recursive: true, force: true });
mkdirSync(`${ROOT}/tmp`, { recursive: true });
baseImage();
const version = execFileSync('buildah', ['--version'], { encoding: 'utf8' }).trim();
const only = process.argv[2];
const results = [];
for (const s of scenarios) {
  if (only && s.id !== only) continue;
  process.stdout.write(`${s.id} … `);
  const started = Date.now();
  results.push(runScenario(s));
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
}
// With a scenario id, only that scenario is run again and replaced in the fixture.
const previous = only && existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')).scenarios : [];
const merged = only ? [...previous.filter((s) => s.id !== only), ...results].sort((a, b) => scenarios.findIndex((s) => s.id === a.id) - scenarios.findIndex((s) => s.id === b.id)) : results;
writeFileSync(OUT, `${JSON.stringify({ tool: version, storage: 'vfs, chroot isolation', generated: new Date().toISOString().slice(0, 10), scenarios: merged }, null, 1)}\n`);

