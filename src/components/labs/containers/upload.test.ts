/** Files a student adds to the build context: text stays text, binary and large files become simulated files. */
import { describe, expect, it } from 'vitest';
import { readUpload } from './upload.ts';

describe('readUpload', () => {
  it('keeps a small text file as text', async () => {
    const r = await readUpload(new File(['numpy==2.1.3\n'], 'requirements-extra.txt', { lastModified: 5 }));
    expect(r).toMatchObject({ file: { path: 'requirements-extra.txt', text: 'numpy==2.1.3\n', mtime: 5 } });
  });

  it('turns a binary file into a simulated one with its size and a checksum of its bytes', async () => {
    const a = await readUpload(new File([new Uint8Array([0, 1, 2, 3])], 'model.bin'));
    const b = await readUpload(new File([new Uint8Array([0, 1, 2, 4])], 'model.bin'));
    expect(a).toMatchObject({ file: { path: 'model.bin', synthetic: { size: 4, kind: 'binary' } }, note: expect.stringMatching(/simulated file/) });
    expect(typeof a !== 'string' && typeof b !== 'string' && a.file.synthetic!.seed !== b.file.synthetic!.seed).toBe(true);
  });

  it('turns a large text file into a simulated one, and refuses a name it cannot use', async () => {
    const r = await readUpload(new File(['x'.repeat(300_000)], 'big.csv'));
    expect(r).toMatchObject({ file: { synthetic: { size: 300_000, kind: 'text' } } });
    expect(await readUpload(new File(['a'], '..'))).toMatch(/not a usable file name/);
  });
});
