/** Download sizes: raw bytes and gzipped bytes (CompressionStream where available — browsers and Node ≥ 18 — else zlib). */
export async function gzipSize(bytes: Uint8Array): Promise<number> {
  if (typeof CompressionStream !== 'undefined') {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
    const buf = await new Response(stream).arrayBuffer();
    return buf.byteLength;
  }
  const { gzipSync } = await import('node:zlib');
  return gzipSync(bytes).length;
}

export interface SizeReport {
  rawBytes: number;
  gzipBytes: number;
}

export async function sizeOf(bytes: Uint8Array): Promise<SizeReport> {
  return { rawBytes: bytes.length, gzipBytes: await gzipSize(bytes) };
}
