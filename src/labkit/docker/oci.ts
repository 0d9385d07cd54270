/**
 * A simulated image written as a real OCI image layout (opencontainers/image-spec: `oci-layout`, `index.json`,
 * `blobs/sha256/…` holding the manifest, the config with `rootfs.diff_ids` and `history`, and one gzipped tar per
 * layer), packed into one tar. Reproducible: every tar entry has mtime 0, uid/gid 0 unless the layer says otherwise,
 * no user or group names, entries in path order, gzip with a zero timestamp and no file name, and the config's
 * `created` times are the epoch (SOURCE_DATE_EPOCH=0). The same image gives the same bytes and digests.
 *
 * Files the simulator knows the bytes of (the build context, files written with echo) are stored as they are.
 * What the simulated package world installed is stored as a small stand-in text file that says what it stands for
 * and how large the real one would be: the layout is real and inspectable (skopeo, umoci, `podman load`), but its
 * programs do not run.
 */
import { gzipSync, strToU8 } from 'fflate';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Image } from './build.ts';
import { baseName, parentOf, WHITEOUT, type Entry, type LayerChanges } from './fs.ts';

const EPOCH = '1970-01-01T00:00:00Z';
const encoder = new TextEncoder();
const digestOf = (bytes: Uint8Array) => `sha256:${bytesToHex(sha256(bytes))}`;

// ---------------------------------------------------------------------------------------------------------------
// Tar (POSIX ustar, with a PAX header for names longer than ustar can hold)

export interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink';
  content?: Uint8Array;
  mode: number;
  uid?: number;
  gid?: number;
  linkname?: string;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(fields: { name: string; mode: number; uid: number; gid: number; size: number; type: string; linkname: string; prefix: string }): Uint8Array {
  const block = new Uint8Array(512);
  const put = (offset: number, text: string, width: number) => block.set(encoder.encode(text).subarray(0, width), offset);
  put(0, fields.name, 100);
  put(100, octal(fields.mode & 0o7777, 8), 8);
  put(108, octal(fields.uid, 8), 8);
  put(116, octal(fields.gid, 8), 8);
  put(124, octal(fields.size, 12), 12);
  put(136, octal(0, 12), 12);
  put(148, '        ', 8);
  put(156, fields.type, 1);
  put(157, fields.linkname, 100);
  put(257, 'ustar\0', 6);
  put(263, '00', 2);
  put(329, octal(0, 8), 8);
  put(337, octal(0, 8), 8);
  put(345, fields.prefix, 155);
  let sum = 0;
  for (const b of block) sum += b;
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `, 8);
  return block;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return `${length}${body}`;
}

/** Splits a long name into ustar's prefix and name fields, when it fits. */
function splitName(name: string): { prefix: string; name: string } | null {
  if (encoder.encode(name).length <= 100) return { prefix: '', name };
  for (let k = name.lastIndexOf('/'); k > 0; k = name.lastIndexOf('/', k - 1)) {
    const prefix = name.slice(0, k);
    const rest = name.slice(k + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(rest).length <= 100) return { prefix, name: rest };
  }
  return null;
}

export function tar(entries: readonly TarEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const pad = (n: number) => (n % 512 ? new Uint8Array(512 - (n % 512)) : new Uint8Array(0));
  for (const e of entries) {
    const content = e.type === 'file' ? (e.content ?? new Uint8Array(0)) : new Uint8Array(0);
    const type = e.type === 'file' ? '0' : e.type === 'dir' ? '5' : '2';
    let fields = splitName(e.name);
    if (!fields || encoder.encode(e.linkname ?? '').length > 100) {
      const records = encoder.encode(paxRecord('path', e.name) + (e.linkname ? paxRecord('linkpath', e.linkname) : ''));
      chunks.push(header({ name: 'PaxHeader', mode: 0o644, uid: 0, gid: 0, size: records.length, type: 'x', linkname: '', prefix: '' }), records, pad(records.length));
      fields = { prefix: '', name: e.name.slice(0, 100) };
    }
    chunks.push(header({ ...fields, mode: e.mode, uid: e.uid ?? 0, gid: e.gid ?? 0, size: content.length, type, linkname: (e.linkname ?? '').slice(0, 100) }), content, pad(content.length));
  }
  chunks.push(new Uint8Array(1024));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/** What a simulated file holds in the exported layer. */
export function contentOf(path: string, e: Entry): Uint8Array {
  if (e.text !== undefined) return encoder.encode(e.text);
  const what = e.label ?? e.origin ?? 'a file of the simulated package world';
  return encoder.encode(`Simulated by the MLOps course's container lab: ${what}.\nIn a real build, ${path} would hold ${e.size} bytes.\n`);
}

/** A layer's changes as tar entries, with `.wh.` whiteout files for deletions (OCI image-spec, layer.md). */
export function layerEntries(changes: LayerChanges): TarEntry[] {
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  const ensureDir = (dir: string) => {
    if (dir === '/' || dirs.has(dir) || changes.has(dir)) return;
    ensureDir(parentOf(dir));
    dirs.add(dir);
    entries.push({ name: `${dir.slice(1)}/`, type: 'dir', mode: 0o755 });
  };
  for (const [path, e] of [...changes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    ensureDir(parentOf(path));
    if (e === WHITEOUT) {
      entries.push({ name: `${parentOf(path) === '/' ? '' : `${parentOf(path).slice(1)}/`}.wh.${baseName(path)}`, type: 'file', mode: 0o644 });
      continue;
    }
    if (e.kind === 'dir') {
      dirs.add(path);
      entries.push({ name: `${path.slice(1)}/`, type: 'dir', mode: e.mode, uid: e.uid, gid: e.gid });
    } else if (e.kind === 'link') entries.push({ name: path.slice(1), type: 'symlink', mode: 0o777, uid: e.uid, gid: e.gid, linkname: e.target ?? '' });
    else if (e.kind === 'bundle') {
      // A bundle stands for a directory of package files: a directory with one stand-in file inside.
      dirs.add(path);
      entries.push({ name: `${path.slice(1)}/`, type: 'dir', mode: 0o755, uid: e.uid, gid: e.gid });
      entries.push({ name: `${path.slice(1)}/SIMULATED.txt`, type: 'file', mode: 0o644, uid: e.uid, gid: e.gid, content: contentOf(path, e) });
    } else entries.push({ name: path.slice(1), type: 'file', mode: e.mode, uid: e.uid, gid: e.gid, content: contentOf(path, e) });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface OciBlob {
  digest: string;
  bytes: Uint8Array;
}

export interface OciImage {
  /** The OCI layout packed as a tar. */
  tar: Uint8Array;
  manifestDigest: string;
  configDigest: string;
  layers: { digest: string; diffId: string; size: number }[];
}

export function ociLayout(image: Image, refName = 'latest'): OciImage {
  const blobs: OciBlob[] = [];
  const layers: OciImage['layers'] = [];
  for (const layer of image.layers) {
    const raw = tar(layerEntries(layer.changes));
    const gz = gzipSync(raw, { level: 6, mtime: 0 });
    const digest = digestOf(gz);
    blobs.push({ digest, bytes: gz });
    layers.push({ digest, diffId: digestOf(raw), size: gz.length });
  }
  const c = image.config;
  const config = {
    created: EPOCH,
    architecture: 'amd64',
    os: 'linux',
    config: {
      ...(c.User ? { User: c.User } : {}),
      ...(Object.keys(c.ExposedPorts).length ? { ExposedPorts: c.ExposedPorts } : {}),
      Env: c.Env,
      ...(c.Entrypoint ? { Entrypoint: c.Entrypoint } : {}),
      ...(c.Cmd ? { Cmd: c.Cmd } : {}),
      ...(Object.keys(c.Volumes).length ? { Volumes: c.Volumes } : {}),
      ...(c.WorkingDir ? { WorkingDir: c.WorkingDir } : {}),
      Labels: { ...c.Labels, 'org.opencontainers.image.description': 'Exported by the MLOps course container lab: a simulated build; package files are stand-ins.' },
      ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: image.history.map((h) => ({ created: EPOCH, created_by: h.created_by, ...(h.comment ? { comment: h.comment } : {}), ...(h.empty_layer ? { empty_layer: true } : {}) })),
  };
  const configBytes = strToU8(JSON.stringify(config));
  const configDigest = digestOf(configBytes);
  blobs.push({ digest: configDigest, bytes: configBytes });
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
  };
  const manifestBytes = strToU8(JSON.stringify(manifest));
  const manifestDigest = digestOf(manifestBytes);
  blobs.push({ digest: manifestDigest, bytes: manifestBytes });
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifestBytes.length, annotations: { 'org.opencontainers.image.ref.name': refName } }],
  };
  const unique = [...new Map(blobs.map((b) => [b.digest, b])).values()].sort((a, b) => (a.digest < b.digest ? -1 : 1));
  const outer = tar([
    { name: 'blobs/', type: 'dir', mode: 0o755 },
    { name: 'blobs/sha256/', type: 'dir', mode: 0o755 },
    ...unique.map((b) => ({ name: `blobs/sha256/${b.digest.slice(7)}`, type: 'file' as const, mode: 0o644, content: b.bytes })),
    { name: 'index.json', type: 'file', mode: 0o644, content: strToU8(JSON.stringify(index)) },
    { name: 'oci-layout', type: 'file', mode: 0o644, content: strToU8(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
  ]);
  return { tar: outer, manifestDigest, configDigest, layers };
}
