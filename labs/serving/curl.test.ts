import { describe, expect, it } from 'vitest';
import { parseCurl, shellWords } from './curl.ts';

describe('the terminal reads curl as curl does', () => {
  it('splits words like a shell', () => {
    expect(shellWords(`curl -d '{"a": 1}' "x \\"y\\"" a\\ b`)).toEqual(['curl', '-d', '{"a": 1}', 'x "y"', 'a b']);
    expect(() => shellWords(`curl -d '{"a"`)).toThrow(/single quote/);
  });

  it('gives the request: GET by default, POST with data, -X wins, any host reaches the lab server', () => {
    expect(parseCurl('curl /v2/health/live')).toEqual({ request: { method: 'GET', path: '/v2/health/live' }, include: false });
    expect(parseCurl(`$ curl -s -i -H 'content-type: application/json' -d '{"inputs":[]}' localhost:8080/v2/models/m/infer`)).toEqual({
      request: { method: 'POST', path: '/v2/models/m/infer', body: '{"inputs":[]}' },
      include: true,
    });
    expect(parseCurl('curl -X get http://serving.lab/v2/models/m').request.method).toBe('GET');
  });

  it('says what it cannot do', () => {
    expect(() => parseCurl('wget /v2/health/live')).toThrow(/only curl/);
    expect(() => parseCurl('curl')).toThrow(/needs a URL/);
    expect(() => parseCurl('curl -X')).toThrow(/-X needs a value/);
    expect(() => parseCurl('curl --compressed /x')).toThrow(/--compressed is not supported/);
    expect(() => parseCurl('curl -X DELETE /x')).toThrow(/GET and POST/);
  });
});
