/**
 * The simulated package world the builder's RUN lines act on: base images, a Debian/Ubuntu/Alpine package mirror,
 * a Python package index and a few download URLs, each with versions and sizes that move between "days". Nothing
 * here is fetched: it is a deterministic catalogue, close to the real images and packages in late 2024 (sizes are
 * rounded from Docker Hub and PyPI; treat them as realistic, not exact).
 *
 * Rules the catalogue follows, because real mirrors do:
 * - a Debian mirror serves only the current version of a package: lists from an older `apt-get update` name
 *   versions the mirror no longer has (404 Not Found);
 * - a floating tag (`python:latest`, `python:3.12-slim`) points at a newer image on a later day; a digest never moves;
 * - a Python package without a wheel for the interpreter (or for musl on Alpine) is built from source, which needs
 *   a C compiler.
 */

export const MB = 1_000_000;
export const KB = 1_000;

/** A value that changes from a given day on (days are 1, 2, 3, …). */
export type Timeline<T> = readonly (readonly [day: number, value: T])[];

export function onDay<T>(timeline: Timeline<T>, day: number): T | undefined {
  let found: T | undefined;
  for (const [from, value] of timeline) if (from <= day) found = value;
  return found;
}

// -----------------------------------------------------------------------------------------------------------------
// Base images

export type Distro = 'debian' | 'ubuntu' | 'alpine' | 'distroless' | 'busybox' | 'none';

export interface BaseLayer {
  /** What `docker history` shows for the layer. */
  createdBy: string;
  size: number;
  /** Where its files sit (a directory that holds them all, shown as one simulated bundle). */
  path: string;
}

export interface ImageVersion {
  /** A short label for the release (the Python patch version, the Debian point release). */
  release: string;
  layers: readonly BaseLayer[];
  python?: { version: string; prefix: string };
  /** Node.js with npm. */
  node?: { version: string; prefix: string };
}

export interface BaseImage {
  repository: string;
  tag: string;
  distro: Distro;
  /** The versions the tag points at, by day. */
  versions: Timeline<ImageVersion>;
  /** Debian/Ubuntu/Alpine packages already installed (by name). */
  installed: readonly string[];
  /** Python packages already installed in the image's interpreter. */
  pip?: readonly string[];
  env: Readonly<Record<string, string>>;
  cmd: readonly string[];
  entrypoint?: readonly string[];
  /** Whether `/bin/sh` exists (distroless and scratch have no shell). */
  shell: boolean;
  /** The C library: wheels for musl (Alpine) are rarer. */
  libc: 'glibc' | 'musl' | 'none';
  /** Users other than root that exist in the image. */
  users?: readonly { name: string; uid: number }[];
  note?: string;
}

const DEBIAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const debianSlim = (size: number): BaseLayer => ({ createdBy: '# debian.sh --arch amd64 out/ bookworm@1732492800', size, path: '/usr/lib/x86_64-linux-gnu' });
const pythonLayers = (version: string, full: boolean): BaseLayer[] => [
  ...(full
    ? [
        { createdBy: '# debian.sh --arch amd64 out/ bookworm@1732492800', size: 117 * MB, path: '/usr/lib/x86_64-linux-gnu' },
        { createdBy: 'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase sq wget', size: 50.6 * MB, path: '/usr/share/ca-certificates' },
        { createdBy: 'RUN apt-get update && apt-get install -y --no-install-recommends git mercurial openssh-client subversion procps', size: 61.2 * MB, path: '/usr/lib/git-core' },
        { createdBy: 'RUN set -ex; apt-get update; apt-get install -y --no-install-recommends autoconf automake bzip2 dpkg-dev file g++ gcc …', size: 588 * MB, path: '/usr/lib/gcc' },
      ]
    : [
        debianSlim(74.8 * MB),
        { createdBy: 'RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata; rm -rf /var/lib/apt/lists/*', size: 3.4 * MB, path: '/usr/share/zoneinfo' },
      ]),
  { createdBy: `ENV PYTHON_VERSION=${version}`, size: 0, path: '' },
  { createdBy: `RUN set -eux; … ./configure … make install … # Python ${version}`, size: (full ? 62 : 41.2) * MB, path: `/usr/local/lib/python${version.split('.').slice(0, 2).join('.')}` },
  { createdBy: 'RUN set -eux; for src in idle3 pip3 pydoc3 python3 python3-config; do … ln -svT …', size: 0, path: '' },
  { createdBy: 'CMD ["python3"]', size: 0, path: '' },
];

const py = (version: string, full: boolean): ImageVersion => ({ release: version, layers: pythonLayers(version, full), python: { version, prefix: '/usr/local' } });
const pyEnv = (version: string) => ({ PATH: DEBIAN_PATH, LANG: 'C.UTF-8', GPG_KEY: '7169605F62C751356D054A26A821E680E5FA6305', PYTHON_VERSION: version });
const FULL_DEBIAN = ['ca-certificates', 'curl', 'wget', 'gnupg', 'git', 'openssh-client', 'procps', 'gcc', 'g++', 'make', 'libc6-dev', 'dpkg-dev', 'build-essential', 'libpq-dev', 'unzip', 'patch', 'less'];

/** The official node images: Debian (full and slim) and Alpine, with npm, and a `node` user (uid 1000). */
function nodeImages(): BaseImage[] {
  const layers = (version: string, flavour: 'slim' | 'full' | 'alpine'): ImageVersion => ({
    release: version,
    node: { version, prefix: '/usr/local' },
    layers: [
      flavour === 'alpine'
        ? { createdBy: 'ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit', size: 7.8 * MB, path: '/lib' }
        : flavour === 'slim'
          ? debianSlim(74.8 * MB)
          : { createdBy: '# debian.sh --arch amd64 out/ bookworm@1732492800', size: 117 * MB, path: '/usr/lib/x86_64-linux-gnu' },
      ...(flavour === 'full' ? [{ createdBy: 'RUN set -ex; apt-get update; apt-get install -y --no-install-recommends autoconf automake bzip2 dpkg-dev file g++ gcc …', size: 827 * MB, path: '/usr/lib/gcc' }] : []),
      { createdBy: 'RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node', size: 0.01 * MB, path: '/home/node' },
      { createdBy: `ENV NODE_VERSION=${version}`, size: 0, path: '' },
      { createdBy: `RUN … curl -fsSLO --compressed "https://nodejs.org/dist/v${version}/node-v${version}-linux-x64.tar.xz" … # node and npm`, size: (flavour === 'alpine' ? 131 : 126) * MB, path: '/usr/local/lib/node_modules' },
      { createdBy: 'CMD ["node"]', size: 0, path: '' },
    ],
  });
  const common = { env: { PATH: DEBIAN_PATH, NODE_VERSION: '22.11.0', YARN_VERSION: '1.22.22' }, cmd: ['node'], shell: true, users: [{ name: 'node', uid: 1000 }] } as const;
  return [
    { repository: 'node', tag: '22-slim', distro: 'debian', versions: [[1, layers('22.11.0', 'slim')], [4, layers('22.12.0', 'slim')]], installed: [], libc: 'glibc', ...common },
    { repository: 'node', tag: '22', distro: 'debian', versions: [[1, layers('22.11.0', 'full')], [4, layers('22.12.0', 'full')]], installed: FULL_DEBIAN, libc: 'glibc', ...common },
    { repository: 'node', tag: '22-alpine', distro: 'alpine', versions: [[1, layers('22.11.0', 'alpine')], [4, layers('22.12.0', 'alpine')]], installed: ['musl', 'busybox', 'apk-tools'], libc: 'musl', ...common },
    { repository: 'node', tag: 'latest', distro: 'debian', versions: [[1, layers('23.3.0', 'full')], [3, layers('23.4.0', 'full')]], installed: FULL_DEBIAN, libc: 'glibc', ...common },
  ];
}

export const BASE_IMAGES: readonly BaseImage[] = [
  { repository: 'python', tag: '3.12-slim', distro: 'debian', versions: [[1, py('3.12.7', false)], [4, py('3.12.8', false)]], installed: ['ca-certificates', 'netbase', 'tzdata'], pip: ['pip'], env: pyEnv('3.12.7'), cmd: ['python3'], shell: true, libc: 'glibc' },
  { repository: 'python', tag: '3.12-slim-bookworm', distro: 'debian', versions: [[1, py('3.12.7', false)], [4, py('3.12.8', false)]], installed: ['ca-certificates', 'netbase', 'tzdata'], pip: ['pip'], env: pyEnv('3.12.7'), cmd: ['python3'], shell: true, libc: 'glibc' },
  { repository: 'python', tag: '3.12.7-slim', distro: 'debian', versions: [[1, py('3.12.7', false)]], installed: ['ca-certificates', 'netbase', 'tzdata'], pip: ['pip'], env: pyEnv('3.12.7'), cmd: ['python3'], shell: true, libc: 'glibc' },
  { repository: 'python', tag: '3.11-slim', distro: 'debian', versions: [[1, py('3.11.10', false)], [4, py('3.11.11', false)]], installed: ['ca-certificates', 'netbase', 'tzdata'], pip: ['pip', 'setuptools', 'wheel'], env: pyEnv('3.11.10'), cmd: ['python3'], shell: true, libc: 'glibc' },
  { repository: 'python', tag: '3.13-slim', distro: 'debian', versions: [[1, py('3.13.0', false)], [4, py('3.13.1', false)]], installed: ['ca-certificates', 'netbase', 'tzdata'], pip: ['pip'], env: pyEnv('3.13.0'), cmd: ['python3'], shell: true, libc: 'glibc' },
  { repository: 'python', tag: '3.12', distro: 'debian', versions: [[1, py('3.12.7', true)], [4, py('3.12.8', true)]], installed: FULL_DEBIAN, pip: ['pip'], env: pyEnv('3.12.7'), cmd: ['python3'], shell: true, libc: 'glibc' },
  { repository: 'python', tag: '3.12-bookworm', distro: 'debian', versions: [[1, py('3.12.7', true)], [4, py('3.12.8', true)]], installed: FULL_DEBIAN, pip: ['pip'], env: pyEnv('3.12.7'), cmd: ['python3'], shell: true, libc: 'glibc' },
  {
    repository: 'python',
    tag: 'latest',
    distro: 'debian',
    versions: [[1, py('3.12.7', true)], [3, py('3.13.0', true)], [4, py('3.13.1', true)]],
    installed: FULL_DEBIAN,
    pip: ['pip'],
    env: pyEnv('3.12.7'),
    cmd: ['python3'],
    shell: true,
    libc: 'glibc',
    note: 'latest moved from Python 3.12 to 3.13 on day 3',
  },
  { repository: 'python', tag: '3', distro: 'debian', versions: [[1, py('3.12.7', true)], [3, py('3.13.0', true)], [4, py('3.13.1', true)]], installed: FULL_DEBIAN, pip: ['pip'], env: pyEnv('3.12.7'), cmd: ['python3'], shell: true, libc: 'glibc' },
  {
    repository: 'python',
    tag: '3.12-alpine',
    distro: 'alpine',
    versions: [[1, { release: '3.12.7', python: { version: '3.12.7', prefix: '/usr/local' }, layers: [{ createdBy: 'ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit', size: 7.8 * MB, path: '/lib' }, { createdBy: 'RUN set -eux; … ./configure … make install … # Python 3.12.7', size: 46.1 * MB, path: '/usr/local/lib/python3.12' }] }]],
    installed: ['musl', 'busybox', 'apk-tools', 'ca-certificates'],
    pip: ['pip'],
    env: { PATH: DEBIAN_PATH, LANG: 'C.UTF-8', PYTHON_VERSION: '3.12.7' },
    cmd: ['python3'],
    shell: true,
    libc: 'musl',
  },
  {
    repository: 'gcr.io/distroless/python3-debian12',
    tag: 'latest',
    distro: 'distroless',
    versions: [[1, { release: 'debian12, Python 3.11.2', python: { version: '3.11.2', prefix: '/usr' }, layers: [{ createdBy: 'bazel build @distroless//python3:debian12', size: 52.7 * MB, path: '/usr/lib/x86_64-linux-gnu' }] }]],
    installed: [],
    env: { PATH: DEBIAN_PATH, SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' },
    cmd: [],
    entrypoint: ['/usr/bin/python3.11'],
    shell: false,
    libc: 'glibc',
    users: [{ name: 'nonroot', uid: 65532 }],
    note: 'no shell, no package manager; Python 3.11 at /usr/bin',
  },
  ...nodeImages(),
  { repository: 'debian', tag: 'bookworm-slim', distro: 'debian', versions: [[1, { release: '12.8', layers: [debianSlim(74.8 * MB)] }]], installed: [], env: { PATH: DEBIAN_PATH }, cmd: ['bash'], shell: true, libc: 'glibc' },
  { repository: 'debian', tag: 'bookworm', distro: 'debian', versions: [[1, { release: '12.8', layers: [{ createdBy: '# debian.sh --arch amd64 out/ bookworm@1732492800', size: 117 * MB, path: '/usr/lib/x86_64-linux-gnu' }] }]], installed: [], env: { PATH: DEBIAN_PATH }, cmd: ['bash'], shell: true, libc: 'glibc' },
  { repository: 'ubuntu', tag: '24.04', distro: 'ubuntu', versions: [[1, { release: '24.04.1', layers: [{ createdBy: 'ADD file:ubuntu-noble-oci-amd64-root.tar.gz in /', size: 78.1 * MB, path: '/usr/lib/x86_64-linux-gnu' }] }]], installed: [], env: { PATH: DEBIAN_PATH }, cmd: ['/bin/bash'], shell: true, libc: 'glibc', users: [{ name: 'ubuntu', uid: 1000 }] },
  { repository: 'ubuntu', tag: 'latest', distro: 'ubuntu', versions: [[1, { release: '24.04.1', layers: [{ createdBy: 'ADD file:ubuntu-noble-oci-amd64-root.tar.gz in /', size: 78.1 * MB, path: '/usr/lib/x86_64-linux-gnu' }] }]], installed: [], env: { PATH: DEBIAN_PATH }, cmd: ['/bin/bash'], shell: true, libc: 'glibc', users: [{ name: 'ubuntu', uid: 1000 }] },
  { repository: 'alpine', tag: '3.20', distro: 'alpine', versions: [[1, { release: '3.20.3', layers: [{ createdBy: 'ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit', size: 7.8 * MB, path: '/lib' }] }]], installed: ['musl', 'busybox', 'apk-tools'], env: { PATH: DEBIAN_PATH }, cmd: ['/bin/sh'], shell: true, libc: 'musl' },
  { repository: 'busybox', tag: '1.36', distro: 'busybox', versions: [[1, { release: '1.36.1', layers: [{ createdBy: 'ADD busybox.tar.xz / # buildkit', size: 4.3 * MB, path: '/bin/busybox' }] }]], installed: [], env: { PATH: DEBIAN_PATH }, cmd: ['sh'], shell: true, libc: 'none' },
  {
    repository: 'nvidia/cuda',
    tag: '12.4.1-runtime-ubuntu22.04',
    distro: 'ubuntu',
    versions: [[1, { release: 'CUDA 12.4.1 runtime', layers: [{ createdBy: 'ADD file:ubuntu-jammy-root.tar.gz in /', size: 77.9 * MB, path: '/usr/lib/x86_64-linux-gnu' }, { createdBy: 'RUN apt-get install … cuda-cudart-12-4 cuda-compat-12-4', size: 168 * MB, path: '/usr/local/cuda-12.4/compat' }, { createdBy: 'RUN apt-get install … cuda-libraries-12-4 libnpp-12-4 libcublas-12-4 libnccl2', size: 3.1e9, path: '/usr/local/cuda-12.4/lib64' }] }]],
    installed: ['ca-certificates'],
    env: { PATH: '/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', NVIDIA_VISIBLE_DEVICES: 'all', CUDA_VERSION: '12.4.1' },
    cmd: ['/bin/bash'],
    shell: true,
    libc: 'glibc',
    note: 'CUDA user-space libraries; no Python',
  },
];

/** A base image reference as written in FROM: registry/repository, tag and digest. */
export interface ImageRef {
  repository: string;
  tag: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef | null {
  const m = /^([a-z0-9]+(?:[._-][a-z0-9]+)*(?:\.[a-z0-9-]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(ref);
  if (!m) return null;
  let repository = m[1]!;
  repository = repository.replace(/^(docker\.io\/)?(library\/)?/, '');
  return { repository, tag: m[2] ?? 'latest', ...(m[3] ? { digest: m[3] } : {}) };
}

export function findBaseImage(ref: ImageRef): BaseImage | undefined {
  return BASE_IMAGES.find((b) => b.repository === ref.repository && b.tag === ref.tag);
}

export const knownImages = () => BASE_IMAGES.map((b) => `${b.repository}:${b.tag}`);

// -----------------------------------------------------------------------------------------------------------------
// Debian / Ubuntu / Alpine packages

export interface OsPackage {
  name: string;
  /** Version by day; the mirror serves only the current one. */
  versions: Timeline<string>;
  /** Installed size and download size. */
  size: number;
  download: number;
  depends?: readonly string[];
  recommends?: readonly string[];
  /** Executables the package puts on the PATH. */
  provides?: readonly string[];
  distros?: readonly Distro[];
}

const apt = (name: string, versions: Timeline<string>, sizeMb: number, depends: string[] = [], recommends: string[] = [], provides: string[] = []): OsPackage => ({
  name,
  versions,
  size: Math.round(sizeMb * MB),
  download: Math.round(sizeMb * 0.35 * MB),
  depends,
  recommends,
  provides,
  distros: ['debian', 'ubuntu'],
});

export const OS_PACKAGES: readonly OsPackage[] = [
  apt('curl', [[1, '7.88.1-10+deb12u8'], [3, '7.88.1-10+deb12u9']], 0.5, ['libcurl4'], ['ca-certificates'], ['curl']),
  apt('libcurl4', [[1, '7.88.1-10+deb12u8'], [3, '7.88.1-10+deb12u9']], 3.3, ['libnghttp2-14', 'libssh2-1']),
  apt('libnghttp2-14', [[1, '1.52.0-1+deb12u2']], 0.4),
  apt('libssh2-1', [[1, '1.10.0-3+b1']], 0.4),
  apt('ca-certificates', [[1, '20230311']], 0.4, ['openssl']),
  apt('openssl', [[1, '3.0.15-1~deb12u1']], 2.3),
  apt('wget', [[1, '1.21.3-1+b2']], 3.6, [], ['ca-certificates'], ['wget']),
  apt('git', [[1, '1:2.39.5-0+deb12u1']], 40.1, ['libcurl3-gnutls', 'perl'], ['less', 'openssh-client', 'patch', 'xauth'], ['git']),
  apt('libcurl3-gnutls', [[1, '7.88.1-10+deb12u8'], [3, '7.88.1-10+deb12u9']], 1.1),
  apt('perl', [[1, '5.36.0-7+deb12u1']], 20.1),
  apt('less', [[1, '590-2.1~deb12u2']], 0.6),
  apt('openssh-client', [[1, '1:9.2p1-2+deb12u3']], 5.6, [], ['xauth'], ['ssh']),
  apt('patch', [[1, '2.7.6-7']], 0.3),
  apt('xauth', [[1, '1:1.1.2-1']], 0.2),
  apt('unzip', [[1, '6.0-28']], 0.4, [], [], ['unzip']),
  apt('tini', [[1, '0.19.0-1']], 0.8, [], [], ['tini']),
  apt('procps', [[1, '2:4.0.2-3']], 2.3, [], [], ['ps', 'top', 'free']),
  apt('vim', [[1, '2:9.0.1378-2']], 37.2, [], [], ['vim']),
  apt('libgomp1', [[1, '12.2.0-14']], 0.3),
  apt('libpq-dev', [[1, '15.10-0+deb12u1']], 1.2, ['libpq5']),
  apt('libpq5', [[1, '15.10-0+deb12u1']], 0.9),
  apt('build-essential', [[1, '12.9']], 0.02, ['gcc', 'g++', 'make', 'dpkg-dev', 'libc6-dev'], [], []),
  apt('gcc', [[1, '4:12.2.0-3']], 71.4, ['binutils'], ['libc6-dev'], ['gcc', 'cc']),
  apt('g++', [[1, '4:12.2.0-3']], 54.2, ['gcc'], [], ['g++', 'c++']),
  apt('binutils', [[1, '2.40-2']], 32.6),
  apt('make', [[1, '4.3-4.1']], 1.6, [], [], ['make']),
  apt('dpkg-dev', [[1, '1.21.22']], 4.1, ['perl'], ['fakeroot', 'libalgorithm-merge-perl', 'gnupg'], []),
  apt('libc6-dev', [[1, '2.36-9+deb12u9']], 46.6),
  apt('fakeroot', [[1, '1.31-1.2']], 0.5),
  apt('libalgorithm-merge-perl', [[1, '0.08-5']], 0.03),
  apt('gnupg', [[1, '2.2.40-1.1']], 9.3),
  apt('python3', [[1, '3.11.2-1+b1']], 24.6, [], [], ['python3']),
  apt('python3-pip', [[1, '23.0.1+dfsg-1']], 8.9, ['python3'], ['build-essential', 'python3-dev'], ['pip3']),
  apt('python3-dev', [[1, '3.11.2-1+b1']], 38.1, ['python3', 'libc6-dev']),
  apt('python3-venv', [[1, '3.11.2-1+b1']], 1.2, ['python3']),
  apt('sudo', [[1, '1.9.13p3-1+deb12u1']], 6.1, [], [], ['sudo']),
  apt('netbase', [[1, '6.4']], 0.05),
  apt('tzdata', [[1, '2024b-0+deb12u1']], 3.3),
  { name: 'musl', versions: [[1, '1.2.5-r0']], size: 0.6 * MB, download: 0.4 * MB, distros: ['alpine'] },
  { name: 'build-base', versions: [[1, '0.5-r3']], size: 0.01 * MB, download: 0, depends: ['gcc', 'g++', 'make', 'musl-dev'], distros: ['alpine'] },
  { name: 'gcc', versions: [[1, '13.2.1_git20240309-r0']], size: 112 * MB, download: 40 * MB, provides: ['gcc', 'cc'], distros: ['alpine'] },
  { name: 'g++', versions: [[1, '13.2.1_git20240309-r0']], size: 47 * MB, download: 16 * MB, provides: ['g++'], distros: ['alpine'] },
  { name: 'make', versions: [[1, '4.4.1-r2']], size: 0.3 * MB, download: 0.1 * MB, provides: ['make'], distros: ['alpine'] },
  { name: 'musl-dev', versions: [[1, '1.2.5-r0']], size: 2.5 * MB, download: 1 * MB, distros: ['alpine'] },
  { name: 'curl', versions: [[1, '8.11.0-r2']], size: 0.3 * MB, download: 0.1 * MB, depends: ['libcurl'], provides: ['curl'], distros: ['alpine'] },
  { name: 'libcurl', versions: [[1, '8.11.0-r2']], size: 0.9 * MB, download: 0.4 * MB, distros: ['alpine'] },
  { name: 'ca-certificates', versions: [[1, '20240705-r0']], size: 0.7 * MB, download: 0.2 * MB, distros: ['alpine'] },
  { name: 'tini', versions: [[1, '0.19.0-r3']], size: 0.02 * MB, download: 0.01 * MB, provides: ['tini'], distros: ['alpine'] },
];

export function findOsPackage(name: string, distro: Distro): OsPackage | undefined {
  return OS_PACKAGES.find((p) => p.name === name && (p.distros ?? ['debian', 'ubuntu']).includes(distro));
}

/** Size of the package lists `apt-get update` writes (the Debian images keep them gzipped). */
export const APT_LISTS_SIZE: Readonly<Record<Distro, number>> = { debian: 18.7 * MB, ubuntu: 45.2 * MB, alpine: 2.4 * MB, distroless: 0, busybox: 0, none: 0 };

// -----------------------------------------------------------------------------------------------------------------
// Python packages (PyPI)

export interface PyVersion {
  version: string;
  /** Released on this day (not installable before). */
  day: number;
  /** Python minor versions with a manylinux wheel; others build from source. */
  wheels: readonly string[];
  /** Whether a musllinux wheel exists (Alpine). */
  musl: boolean;
}

export interface PyPackage {
  name: string;
  /** The importable top-level names. */
  imports: readonly string[];
  versions: readonly PyVersion[];
  /** Installed size and wheel size. */
  size: number;
  wheel: number;
  depends?: readonly string[];
  /** Console scripts put into the environment's bin directory. */
  scripts?: readonly string[];
  /** Whether a source distribution exists (built with a C compiler when no wheel fits). */
  sdist: boolean;
}

const ALL = ['3.10', '3.11', '3.12', '3.13'];
const v = (version: string, day = 1, wheels: readonly string[] = ALL, musl = true): PyVersion => ({ version, day, wheels, musl });
const pkg = (name: string, imports: string[], versions: PyVersion[], sizeMb: number, wheelMb: number, depends: string[] = [], scripts: string[] = [], sdist = true): PyPackage => ({
  name,
  imports,
  versions,
  size: Math.round(sizeMb * MB),
  wheel: Math.round(wheelMb * MB),
  depends,
  scripts,
  sdist,
});

export const PY_PACKAGES: readonly PyPackage[] = [
  pkg('numpy', ['numpy'], [v('1.26.4', 1, ['3.10', '3.11', '3.12']), v('2.1.3'), v('2.2.0', 3)], 61.4, 16.1, [], ['f2py']),
  pkg('pandas', ['pandas'], [v('2.1.4', 1, ['3.10', '3.11', '3.12']), v('2.2.3')], 70.2, 12.7, ['numpy', 'python-dateutil', 'pytz', 'tzdata']),
  pkg('scipy', ['scipy'], [v('1.14.1')], 114.8, 41.2, ['numpy']),
  pkg('scikit-learn', ['sklearn'], [v('1.4.2', 1, ['3.10', '3.11', '3.12']), v('1.5.2'), v('1.6.0', 4)], 40.3, 13.3, ['numpy', 'scipy', 'joblib', 'threadpoolctl']),
  pkg('joblib', ['joblib'], [v('1.4.2')], 1.9, 0.3),
  pkg('threadpoolctl', ['threadpoolctl'], [v('3.5.0')], 0.1, 0.02),
  pkg('python-dateutil', ['dateutil'], [v('2.9.0.post0')], 0.8, 0.2, ['six']),
  pkg('six', ['six'], [v('1.16.0'), v('1.17.0', 5)], 0.05, 0.01),
  pkg('pytz', ['pytz'], [v('2024.2')], 2.9, 0.5),
  pkg('tzdata', ['tzdata'], [v('2024.2')], 1.8, 0.35),
  pkg('fastapi', ['fastapi'], [v('0.115.5'), v('0.115.6', 2), v('0.115.8', 5)], 0.5, 0.1, ['starlette', 'pydantic', 'typing-extensions'], ['fastapi']),
  pkg('starlette', ['starlette'], [v('0.41.3')], 0.6, 0.07, ['anyio']),
  pkg('pydantic', ['pydantic'], [v('2.10.2'), v('2.10.4', 4)], 1.6, 0.45, ['pydantic-core', 'annotated-types', 'typing-extensions']),
  pkg('pydantic-core', ['pydantic_core'], [v('2.27.1'), v('2.27.2', 4)], 4.9, 2.0),
  pkg('annotated-types', ['annotated_types'], [v('0.7.0')], 0.05, 0.01),
  pkg('typing-extensions', ['typing_extensions'], [v('4.12.2')], 0.15, 0.04),
  pkg('anyio', ['anyio'], [v('4.6.2'), v('4.7.0', 3)], 0.4, 0.09, ['idna', 'sniffio']),
  pkg('idna', ['idna'], [v('3.10')], 0.3, 0.07),
  pkg('sniffio', ['sniffio'], [v('1.3.1')], 0.02, 0.01),
  pkg('uvicorn', ['uvicorn'], [v('0.32.1'), v('0.34.0', 4)], 0.3, 0.06, ['click', 'h11'], ['uvicorn']),
  pkg('click', ['click'], [v('8.1.7'), v('8.1.8', 5)], 0.4, 0.1),
  pkg('h11', ['h11'], [v('0.14.0')], 0.2, 0.06),
  pkg('prometheus-client', ['prometheus_client'], [v('0.21.0'), v('0.21.1', 3)], 0.5, 0.05),
  pkg('requests', ['requests'], [v('2.32.3')], 0.3, 0.06, ['urllib3', 'certifi', 'charset-normalizer', 'idna']),
  pkg('urllib3', ['urllib3'], [v('2.2.3')], 0.5, 0.13),
  pkg('certifi', ['certifi'], [v('2024.8.30')], 0.3, 0.17),
  pkg('charset-normalizer', ['charset_normalizer'], [v('3.4.0')], 0.6, 0.14),
  pkg('pytest', ['pytest', '_pytest'], [v('8.3.3'), v('8.3.4', 3)], 2.4, 0.34, ['iniconfig', 'pluggy', 'packaging'], ['pytest']),
  pkg('iniconfig', ['iniconfig'], [v('2.0.0')], 0.02, 0.01),
  pkg('pluggy', ['pluggy'], [v('1.5.0')], 0.1, 0.02),
  pkg('packaging', ['packaging'], [v('24.2')], 0.3, 0.07),
  pkg('httpx', ['httpx'], [v('0.28.0')], 0.5, 0.07, ['anyio', 'certifi', 'idna']),
  pkg('jupyterlab', ['jupyterlab'], [v('4.3.1')], 118.5, 11.6, ['pandas'], ['jupyter', 'jupyter-lab']),
  pkg('black', ['black'], [v('24.10.0')], 2.1, 1.7, ['click', 'packaging'], ['black']),
  pkg('onnxruntime', ['onnxruntime'], [v('1.20.1', 1, ALL, false)], 51.3, 13.3, ['numpy'], [], false),
  pkg('torch', ['torch'], [v('2.5.1', 1, ALL, false)], 4.31e9 / MB, 2.55e9 / MB, ['numpy'], ['torchrun'], false),
  pkg('hnswlib', ['hnswlib'], [v('0.8.0', 1, [], false)], 0.6, 0.04, ['numpy']),
  pkg('pip', ['pip'], [v('24.3.1')], 12.4, 1.8, [], ['pip', 'pip3']),
  pkg('setuptools', ['setuptools'], [v('75.6.0')], 5.1, 1.2),
  pkg('wheel', ['wheel'], [v('0.45.1')], 0.2, 0.07),
];

export function findPyPackage(name: string): PyPackage | undefined {
  const norm = name.toLowerCase().replace(/[._]+/g, '-');
  return PY_PACKAGES.find((p) => p.name === norm);
}

/** The versions of a package released by a day, oldest first. */
export const releasedBy = (p: PyPackage, day: number) => p.versions.filter((x) => x.day <= day);

// -----------------------------------------------------------------------------------------------------------------
// Files that `curl`, `wget` and `ADD <url>` can download

export interface Download {
  url: string;
  /** Content version by day: a new version means new bytes at the same URL. */
  versions: Timeline<string>;
  size: number;
  /** What the archive holds when it is extracted with tar (relative paths and sizes). */
  archive?: readonly { path: string; size: number }[];
}

export const DOWNLOADS: readonly Download[] = [
  {
    url: 'https://models.example.org/fraud-detector/14/model.tar.gz',
    versions: [[1, 'v14']],
    size: 46.2 * MB,
    archive: [
      { path: 'pipeline.joblib', size: 84.6 * MB },
      { path: 'model-card.md', size: 4.1 * KB },
    ],
  },
  {
    url: 'https://models.example.org/fraud-detector/latest/model.tar.gz',
    versions: [[1, 'v14'], [3, 'v15']],
    size: 46.2 * MB,
    archive: [
      { path: 'pipeline.joblib', size: 84.6 * MB },
      { path: 'model-card.md', size: 4.1 * KB },
    ],
  },
  { url: 'https://github.com/krallin/tini/releases/download/v0.19.0/tini', versions: [[1, '0.19.0']], size: 0.85 * MB },
];

export function findDownload(url: string): Download | undefined {
  return DOWNLOADS.find((d) => d.url === url);
}

// -----------------------------------------------------------------------------------------------------------------
// npm packages (sizes include their dependencies, as node_modules holds them)

export interface NpmPackage {
  name: string;
  versions: readonly { version: string; day: number }[];
  size: number;
  tarball: number;
  bin?: readonly string[];
}

const npmPkg = (name: string, versions: [string, number][], sizeMb: number, tarballMb: number, bin: string[] = []): NpmPackage => ({
  name,
  versions: versions.map(([version, day]) => ({ version, day })),
  size: Math.round(sizeMb * MB),
  tarball: Math.round(tarballMb * MB),
  bin,
});

export const NPM_PACKAGES: readonly NpmPackage[] = [
  npmPkg('express', [['4.21.1', 1], ['4.21.2', 3]], 2.1, 0.7),
  npmPkg('fastify', [['5.1.0', 1], ['5.2.0', 4]], 3.2, 1.1),
  npmPkg('prom-client', [['15.1.3', 1]], 0.5, 0.1),
  npmPkg('pino', [['9.5.0', 1], ['9.6.0', 5]], 1.1, 0.4),
  npmPkg('dotenv', [['16.4.5', 1], ['16.4.7', 2]], 0.08, 0.03),
  npmPkg('@tensorflow/tfjs', [['4.22.0', 1]], 41.3, 13.2),
  npmPkg('onnxruntime-node', [['1.20.1', 1]], 142.6, 61.0),
  npmPkg('typescript', [['5.6.3', 1], ['5.7.2', 3]], 22.9, 5.8, ['tsc', 'tsserver']),
  npmPkg('jest', [['29.7.0', 1]], 31.5, 9.4, ['jest']),
  npmPkg('nodemon', [['3.1.7', 1], ['3.1.9', 4]], 3.4, 1.0, ['nodemon']),
];

export const findNpmPackage = (name: string) => NPM_PACKAGES.find((p) => p.name === name);
