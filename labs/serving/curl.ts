/**
 * The client panel's terminal: one `curl` command line, read as curl reads it, for the requests the lab's server can
 * answer. Words are split as a POSIX shell splits them (single quotes literal, double quotes with \" and \\ escapes,
 * backslash outside quotes). Options: -X/--request, -d/--data/--data-raw (implies POST, as in curl), -H/--header,
 * -i/--include (print the status line and headers), -s/--silent (ignored). The URL is a path (`/v2/health/live`) or
 * one on the lab's server (`http://serving.lab/...`, `localhost:8080/...`: any host reaches the same server here).
 */
import type { WireRequest } from './protocol.ts';

export interface CurlCommand {
  request: WireRequest;
  include: boolean;
}

/** Splits a command line into words; throws on an unterminated quote. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError('a single quote is not closed');
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\' || line[j + 1] === '$')) j++;
        word += line[j];
      }
      if (j >= line.length) throw new SyntaxError('a double quote is not closed');
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export function parseCurl(line: string): CurlCommand {
  const words = shellWords(line.trim().replace(/^\$\s*/, ''));
  if (words[0] !== 'curl') throw new SyntaxError(`only curl runs here; "${words[0] ?? ''}" is not curl`);
  let method: string | undefined;
  let body: string | undefined;
  let url: string | undefined;
  let include = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const value = () => {
      const v = words[++i];
      if (v === undefined) throw new SyntaxError(`${w} needs a value`);
      return v;
    };
    if (w === '-X' || w === '--request') method = value().toUpperCase();
    else if (w === '-d' || w === '--data' || w === '--data-raw') body = value();
    else if (w === '-H' || w === '--header') value();
    else if (w === '-i' || w === '--include') include = true;
    else if (w === '-s' || w === '--silent') continue;
    else if (w.startsWith('-')) throw new SyntaxError(`curl option ${w} is not supported here (use -X, -d, -H, -i or -s)`);
    else if (url === undefined) url = w;
    else throw new SyntaxError(`a second URL "${w}": one request at a time`);
  }
  if (!url) throw new SyntaxError('curl needs a URL, for example /v2/health/live');
  const path = url.startsWith('/') ? url : new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`).pathname;
  const m = method ?? (body !== undefined ? 'POST' : 'GET');
  if (m !== 'GET' && m !== 'POST') throw new SyntaxError(`method ${m}: the lab's worker carries GET and POST`);
  return { request: { method: m, path, ...(body !== undefined ? { body } : {}) }, include };
}
