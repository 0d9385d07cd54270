// Checks the containers lab's OCI export with real tools: builds the lab's starter and reference Dockerfiles in the
// simulator (twice each), exports them as OCI image layouts, and then
//   - requires identical digests and bytes for identical input (reproducibility);
//   - runs `skopeo inspect` on the layout (oci:) and on the tar (oci-archive:);
//   - runs `umoci unpack` and compares a copied file with the project's file.
//
//   apt-get install -y skopeo umoci
//   node scripts/oracles/containers-oci.mjs
//
// Node runs the TypeScript sources directly (type stripping, Node 22.18+).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { build, emptyBuilder } from '../../src/labkit/docker/build.ts';
import { hex } from '../../src/labkit/docker/fs.ts';
import { ociLayout } from '../../src/labkit/docker/oci.ts';

const ROOT = new URL('../../labs/containers/', import.meta.url).pathname;
const OUT = '/tmp/containers-oci';

function project(overlay) {
  const files = {};
  const walk = (dir, base) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, base);
      else files[relative(base, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(join(ROOT, 'project'), join(ROOT, 'project'));
  if (overlay) walk(join(ROOT, overlay), join(ROOT, overlay));
  return files;
}

function image(files) {
  const context = Object.entries(files).map(([path, text]) => ({ path, text, size: Buffer.byteLength(text), digest: hex(text), mode: 0o644 }));
  const r = build({ dockerfile: files.Dockerfile, dockerignore: files['.dockerignore'] ?? '', context, day: 1 }, emptyBuilder());
  if (!r.ok) throw new Error(`the build failed: ${r.error?.message}`);
  return r.image;
}

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
let failures = 0;
for (const [name, overlay] of [['starter', null], ['solution', 'solution']]) {
  const files = project(overlay);
  const a = ociLayout(image(files), name);
  const b = ociLayout(image(files), name);
  const same = a.manifestDigest === b.manifestDigest && sha(a.tar) === sha(b.tar);
  if (!same) failures++;
  const tarPath = `${OUT}/${name}.tar`;
  writeFileSync(tarPath, a.tar);
  const dir = `${OUT}/${name}-layout`;
  mkdirSync(dir);
  run('tar', ['-xf', tarPath, '-C', dir]);
  const inspected = JSON.parse(run('skopeo', ['inspect', `oci:${dir}:${name}`]));
  const archive = JSON.parse(run('skopeo', ['inspect', `oci-archive:${tarPath}:${name}`]));
  const bundle = `${OUT}/${name}-bundle`;
  run('umoci', ['unpack', '--image', `${dir}:${name}`, bundle]);
  const app = readFileSync(`${bundle}/rootfs/app/app.py`, 'utf8');
  const appSame = app === files['app.py'];
  const digestsAgree = inspected.Digest === a.manifestDigest && archive.Digest === a.manifestDigest && inspected.Layers.length === a.layers.length;
  if (!appSame || !digestsAgree) failures++;
  console.log(
    `${name}: manifest ${a.manifestDigest}, ${a.layers.length} layers, ${a.tar.length} bytes; ` +
      `reproducible: ${same}; skopeo (oci: and oci-archive:) agrees: ${digestsAgree}; umoci unpack: app.py ${appSame ? 'matches' : 'DIFFERS'}`,
  );
}
if (failures) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('all OCI checks passed');
