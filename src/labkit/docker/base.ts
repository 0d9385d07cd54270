/**
 * The file systems, configurations and histories of the simulated base images: what `FROM` starts from. Each base
 * layer is one bundle of its size, plus the small real files the builder reads (`/etc/passwd`, `/etc/group`, the
 * shell, the interpreter and pip with what they are, the packages the image already has).
 */
import { bundle, dir, file, hex, type Entry, type LayerChanges } from './fs.ts';
import { osPackageEntries, pyPackageEntries } from './packages.ts';
import { findOsPackage, findPyPackage, onDay, type BaseImage, type Distro, type ImageVersion } from './world.ts';

export interface ImageConfig {
  Env: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir: string;
  User: string;
  ExposedPorts: Record<string, Record<string, never>>;
  Labels: Record<string, string>;
  Volumes: Record<string, Record<string, never>>;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
  StopSignal?: string;
  Shell?: string[];
  OnBuild?: string[];
}

export interface HistoryEntry {
  created_by: string;
  empty_layer?: boolean;
  comment?: string;
}

export interface BaseImageState {
  layers: { changes: LayerChanges; createdBy: string }[];
  history: HistoryEntry[];
  config: ImageConfig;
  distro: Distro;
  libc: 'glibc' | 'musl' | 'none';
  /** The content digest of the resolved image (what FROM's cache key uses). */
  digest: string;
  release: string;
}

export const emptyConfig = (): ImageConfig => ({ Env: [], WorkingDir: '', User: '', ExposedPorts: {}, Labels: {}, Volumes: {} });

export function imageDigest(base: BaseImage, version: ImageVersion): string {
  return `sha256:${hex(`image:${base.repository}:${base.tag}:${version.release}`)}`;
}

const PASSWD_DEBIAN = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';
const GROUP_DEBIAN = 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nnogroup:x:65534:\n';
const PASSWD_ALPINE = 'root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n';
const GROUP_ALPINE = 'root:x:0:root\nbin:x:1:root,bin,daemon\nnogroup:x:65533:\nnobody:x:65534:\n';

/** The image a FROM line names, on a day, as layers of the simulated file system. */
export function baseImageState(base: BaseImage, day: number, pinned?: ImageVersion): BaseImageState {
  const version = pinned ?? onDay(base.versions, day)!;
  const layers: BaseImageState['layers'] = [];
  const history: HistoryEntry[] = [];
  const identity = `${base.repository}:${base.tag}:${version.release}`;
  version.layers.forEach((l, index) => {
    if (!l.path) {
      history.push({ created_by: l.createdBy, empty_layer: true });
      return;
    }
    const changes: LayerChanges = new Map();
    changes.set(l.path, bundle(`${base.repository}:${base.tag} layer ${index + 1}: ${l.createdBy.slice(0, 60)}`, l.size, `${identity}:${index}`, { origin: `base:${identity}:${index}` }));
    if (index === 0) for (const [p, e] of skeleton(base.distro, base.users ?? [])) changes.set(p, e);
    layers.push({ changes, createdBy: l.createdBy });
    history.push({ created_by: l.createdBy });
  });
  // The packages and tools the image already has: zero-sized entries (their bytes are in the layers above).
  if (layers.length) {
    const last = layers.at(-1)!.changes;
    for (const name of base.installed) {
      const p = findOsPackage(name, base.distro);
      if (p) for (const [path, entry] of osPackageEntries(p, onDay(p.versions, day)!, false)) last.set(path, entry);
    }
    if (version.node) {
      for (const name of ['node', 'npm', 'npx']) {
        last.set(`${version.node.prefix}/bin/${name}`, { ...file('', { mode: 0o755 }), digest: hex(`${name}:${version.node.version}`), tool: { kind: 'program', name: name === 'npx' ? 'npx' : name }, origin: `base:${identity}` });
      }
    }
    if (version.python) {
      const { version: v, prefix } = version.python;
      const minor = v.split('.').slice(0, 2).join('.');
      const tool = { kind: 'python' as const, version: v, prefix };
      const bin = `${prefix}/bin`;
      last.set(`${bin}/python${minor}`, { ...file('', { mode: 0o755 }), digest: hex(`python:${v}`), tool, origin: `base:${identity}` });
      for (const alias of ['python3', 'python']) {
        if (prefix === '/usr' && alias === 'python') continue;
        last.set(`${bin}/${alias}`, { kind: 'link', size: 0, digest: hex(`link:python${minor}`), mode: 0o777, uid: 0, gid: 0, target: `python${minor}`, tool });
      }
      const env = { version: v, minor, prefix, site: `${prefix}/lib/python${minor}/site-packages`, bin, managed: false };
      for (const name of base.pip ?? []) {
        const p = findPyPackage(name);
        if (!p) continue;
        for (const [path, entry] of pyPackageEntries(env, p, p.versions.at(-1)!.version, false, { uid: 0, gid: 0 })) {
          last.set(path, name === 'pip' && entry.tool ? { ...entry, tool: { kind: 'pip', version: v, prefix } } : entry);
        }
      }
    }
  }
  const env = Object.entries(base.env).map(([k, v]) => `${k}=${k === 'PYTHON_VERSION' && version.python ? version.python.version : v}`);
  const config: ImageConfig = { ...emptyConfig(), Env: env, Cmd: [...base.cmd], ...(base.entrypoint ? { Entrypoint: [...base.entrypoint] } : {}) };
  return { layers, history, config, distro: base.distro, libc: base.libc, digest: imageDigest(base, version), release: version.release };
}

/** The few real files of a root file system: users, groups, the shell, /tmp and /root. */
function skeleton(distro: Distro, extraUsers: readonly { name: string; uid: number }[]): [string, Entry][] {
  const out: [string, Entry][] = [];
  const alpine = distro === 'alpine' || distro === 'busybox';
  const extra = extraUsers.map((u) => `${u.name}:x:${u.uid}:${u.uid}::/home/${u.name}:/bin/sh\n`).join('');
  const extraGroups = extraUsers.map((u) => `${u.name}:x:${u.uid}:\n`).join('');
  for (const d of ['/etc', '/tmp', '/root', '/home', '/var', '/var/lib', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/usr/local/lib', '/bin', '/run']) out.push([d, dir(d === '/tmp' ? { mode: 0o1777 } : d === '/root' ? { mode: 0o700 } : {})]);
  out.push(['/etc/passwd', file((alpine ? PASSWD_ALPINE : PASSWD_DEBIAN) + extra)]);
  out.push(['/etc/group', file((alpine ? GROUP_ALPINE : GROUP_DEBIAN) + extraGroups)]);
  if (distro !== 'distroless') out.push(['/etc/shadow', file('root:*:20000:0:99999:7:::\n', { mode: 0o640 })]);
  if (distro !== 'distroless' && distro !== 'none') out.push(['/bin/sh', { ...file('', { mode: 0o755 }), digest: hex(`sh:${distro}`), tool: { kind: 'shell' } }]);
  if (distro === 'debian' || distro === 'ubuntu') out.push(['/bin/bash', { ...file('', { mode: 0o755 }), digest: hex(`bash:${distro}`), tool: { kind: 'shell' } }]);
  if (distro === 'debian' || distro === 'ubuntu') out.push(['/var/lib/apt', dir()], ['/var/lib/apt/lists', dir()]);
  return out;
}
