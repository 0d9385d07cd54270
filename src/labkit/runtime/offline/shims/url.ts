/** node:url: the WHATWG URL classes, and conversions between file: URLs and paths as Node does them on POSIX. */
import type { Host } from '../host.ts';

function invalidScheme(): never {
  const error = new TypeError('The URL must be of scheme file') as TypeError & { code: string };
  error.code = 'ERR_INVALID_URL_SCHEME';
  throw error;
}

export function fileURLToPath(input: string | URL): string {
  const url = typeof input === 'string' ? new URL(input) : input;
  if (url.protocol !== 'file:') invalidScheme();
  if (url.hostname) {
    const error = new TypeError(`File URL host must be "localhost" or empty on linux`) as TypeError & { code: string };
    error.code = 'ERR_INVALID_FILE_URL_HOST';
    throw error;
  }
  if (/%2f/i.test(url.pathname)) {
    const error = new TypeError('File URL path must not include encoded / characters') as TypeError & { code: string };
    error.code = 'ERR_INVALID_FILE_URL_PATH';
    throw error;
  }
  return decodeURIComponent(url.pathname);
}

export function pathToFileURL(path: string, cwd: string): URL {
  const absolute = path.startsWith('/') ? path : `${cwd}/${path}`;
  const parts: string[] = [];
  for (const part of absolute.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const trailing = path.endsWith('/') && parts.length ? '/' : '';
  const url = new URL('file:///');
  url.pathname = '/' + parts.map((p) => encodeURIComponent(p)).join('/') + trailing;
  return url;
}

export function urlModule(host: Host): Record<string, unknown> {
  return {
    URL,
    URLSearchParams,
    fileURLToPath,
    pathToFileURL: (path: string) => pathToFileURL(path, host.cwd()),
    format: (u: URL | string) => String(u),
    domainToASCII: (domain: string) => new URL(`http://${domain}`).hostname,
  };
}
