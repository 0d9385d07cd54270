/**
 * A file the student adds to the build context. Small text files keep their text (the editor opens them);
 * binary or large files become simulated files: their size and a checksum of their bytes (of the first 64 MB for a
 * larger file, plus its size), so that replacing one with other bytes changes what COPY sees.
 */
import type { ProjectFile } from '../../../../labs/containers/project.ts';
import { humanSize } from '../../../labkit/docker/fs.ts';

const TEXT_LIMIT = 200_000;
const HASH_LIMIT = 64_000_000;

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function readUpload(file: File): Promise<{ file: ProjectFile; note: string } | string> {
  const path = file.name.replace(/[\\/]/g, '_').trim();
  if (!path || path === '.' || path === '..') return `"${file.name}" is not a usable file name.`;
  const head = new Uint8Array(await file.slice(0, 8192).arrayBuffer());
  const binary = head.includes(0);
  if (!binary && file.size <= TEXT_LIMIT) {
    const text = await file.text();
    return { file: { path, text, mtime: file.lastModified || Date.now(), mode: 0o644 }, note: `${path} (${humanSize(file.size)}) was added to the context.` };
  }
  const seed = await sha256Hex(await file.slice(0, HASH_LIMIT).arrayBuffer());
  return {
    file: { path, synthetic: { size: file.size, seed: `${seed}:${file.size}`, kind: binary ? 'binary' : 'text' }, mtime: file.lastModified || Date.now(), mode: 0o644 },
    note: `${path} (${binary ? 'binary' : 'large text'}, ${humanSize(file.size)}) was added as a simulated file: the simulator keeps its size and checksum, not its bytes.`,
  };
}
