/** Browser helper: save a string, bytes or a Blob as a file through the browser's download. */
export function downloadFile(name: string, content: string | Uint8Array | Blob, type = 'application/octet-stream'): void {
  const blob = content instanceof Blob ? content : new Blob([content as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** The MIME types the course downloads. */
export const mime = {
  markdown: 'text/markdown;charset=utf-8',
  json: 'application/json;charset=utf-8',
  zip: 'application/zip',
  svg: 'image/svg+xml;charset=utf-8',
} as const;
