/**
 * The files of a model a student uploads: model.json with its weight files, chosen together, or a zip of them (the
 * quantize-and-prune lab exports one: a folder holding model.json and weights.bin). Zips are unpacked and every entry
 * is named by its base name, as the manifest names its weight files. Free of tfjs.
 */
import { unzipSync } from 'fflate';
import type { UploadedFile } from './artifacts.ts';

export function unpackModelFiles(files: readonly UploadedFile[]): UploadedFile[] {
  const out: UploadedFile[] = [];
  for (const f of files) {
    if (!f.name.toLowerCase().endsWith('.zip')) {
      out.push({ name: f.name.split('/').pop()!, bytes: f.bytes });
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(f.bytes);
    } catch {
      throw new Error(`${f.name} is not a valid zip file`);
    }
    for (const [name, bytes] of Object.entries(entries)) if (!name.endsWith('/') && !name.startsWith('__MACOSX/')) out.push({ name: name.split('/').pop()!, bytes });
  }
  return out;
}

/** The name a model goes by: its model.json's name, or the zip it came in. */
export function uploadLabel(files: readonly { name: string }[]): string {
  return (files.find((f) => f.name.toLowerCase().endsWith('.zip')) ?? files.find((f) => f.name.toLowerCase().endsWith('.json')) ?? files[0])?.name ?? 'model';
}
