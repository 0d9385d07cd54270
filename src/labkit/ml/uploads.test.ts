import { describe, expect, it } from 'vitest';
import { strToU8 } from 'fflate';
import { zipFiles } from '../report/zip.ts';
import { unpackModelFiles, uploadLabel } from './uploads.ts';

describe('uploaded model files', () => {
  it('unpacks the zip the quantize-and-prune lab exports (a folder with model.json and weights.bin)', () => {
    const zip = zipFiles({ 'model.json': '{"modelTopology":{}}', 'weights.bin': new Uint8Array([1, 2, 3]) }, 'dense-abc123/');
    const files = unpackModelFiles([{ name: 'dense-abc123.zip', bytes: zip }]);
    expect(files.map((f) => f.name).sort()).toEqual(['model.json', 'weights.bin']);
    expect([...files.find((f) => f.name === 'weights.bin')!.bytes]).toEqual([1, 2, 3]);
    expect(uploadLabel([{ name: 'dense-abc123.zip' }])).toBe('dense-abc123.zip');
  });
  it('keeps loose files as they are, and names a broken zip', () => {
    const loose = [{ name: 'model.json', bytes: strToU8('{}') }, { name: 'weights.bin', bytes: new Uint8Array(4) }];
    expect(unpackModelFiles(loose).map((f) => f.name)).toEqual(['model.json', 'weights.bin']);
    expect(uploadLabel(loose)).toBe('model.json');
    expect(() => unpackModelFiles([{ name: 'broken.zip', bytes: new Uint8Array([1, 2, 3]) }])).toThrow('broken.zip is not a valid zip file');
  });
});
