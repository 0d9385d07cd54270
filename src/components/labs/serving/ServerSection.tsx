/** Step 1: the student's server file, the contract test, and a client panel to send requests of their own. */
import { useEffect, useState } from 'react';
import { CodeEditor } from '../code/CodeEditor.tsx';
import { DENSE_MNIST } from '../../../../labs/serving/server/mnist-dense.mjs';
import { inferBody, runContract as runContractOver, sampleImage } from '../../../../labs/serving/server/contract.mjs';
import type { Route, WireResponse } from '../../../../labs/serving/protocol.ts';
import { ROUTES } from '../../../../labs/serving/report.ts';
import { parseCurl } from '../../../../labs/serving/curl.ts';
import { cancellable } from '../../../../labs/serving/driver.ts';
import { SERVER_STARTED } from '../../../../labs/serving/preview.ts';
import type { ServingContext } from './ServingWorkspace.tsx';
import { NodeRun } from './NodeRun.tsx';
import starterHono from '../../../../labs/serving/server/starter-hono.mjs?raw';

const FILE = 'server.mjs';

const EXAMPLES: Record<string, { method: 'GET' | 'POST'; path: string; body?: string }> = {
  live: { method: 'GET', path: '/v2/health/live' },
  metadata: { method: 'GET', path: `/v2/models/${DENSE_MNIST.name}` },
  infer: { method: 'POST', path: `/v2/models/${DENSE_MNIST.name}/infer`, body: JSON.stringify(inferBody(DENSE_MNIST, [sampleImage()], 'my-request')) },
  bad: { method: 'POST', path: `/v2/models/${DENSE_MNIST.name}/infer`, body: JSON.stringify({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 784], data: [0, 1, 2] }] }) },
};

export function ServerSection({ ctx }: { ctx: ServingContext }) {
  const { shell, state, client, busy, serverUp, setServerUp, starter, sandbox, preview, setPreview, routes, inPreview, route, setRoute } = ctx;
  const send = routes[route === 'worker' ? 'worker' : 'serviceWorker']!;
  const [previewKey, setPreviewKey] = useState(0);
  // The preview checks the server's health when told: after each start, and when it (re)loads with the server up,
  // whichever of the two comes last.
  const [starts, setStarts] = useState(0);
  useEffect(() => {
    if (starts && serverUp && preview) preview.postMessage({ type: SERVER_STARTED }, location.origin);
  }, [starts, serverUp, preview]);
  const [source, setSource] = useState(state.server?.source ?? starter);
  const [method, setMethod] = useState<'GET' | 'POST'>('GET');
  const [path, setPath] = useState('/v2/health/live');
  const [body, setBody] = useState('');
  const [reply, setReply] = useState<(WireResponse & { roundTripMs: number }) | null>(null);
  const [command, setCommand] = useState(`curl -i ${EXAMPLES.metadata!.path}`);
  const [terminal, setTerminal] = useState('');
  const contract = state.contract;
  const passed = contract?.outcomes.filter((o) => o.passed).length ?? 0;

  const start = async () => {
    const at = new Date().toISOString();
    shell.session.update((s) => ({ ...s, server: { at, source } }));
    const ok = await shell.run('Start the server', () => client.call('server', { source }));
    setServerUp(!!ok);
    if (ok) shell.say(`Your server is running in the worker with the model "${ok.model}".`);
    if (ok) setStarts((n) => n + 1);
    return !!ok;
  };

  const runContract = async () => {
    if (!(await start())) return;
    // Over HTTP through the preview's service worker when that is the route, else inside the worker.
    const http = route === 'service worker' ? inPreview : undefined;
    const outcomes = await shell.run(`Contract test, ${ROUTES[http ? 'service worker' : 'worker']}`, () => (http ? cancellable(runContractOver(http, DENSE_MNIST)) : client.call('contract', undefined as never)));
    if (!outcomes) return;
    shell.session.update((s) => ({ ...s, contract: { at: new Date().toISOString(), route: http ? 'service worker' : 'worker', outcomes } }));
    const failed = outcomes.filter((o) => !o.passed).length;
    shell.say(failed ? `Contract test: ${failed} of ${outcomes.length} cases fail; each says why.` : `Contract test: all ${outcomes.length} cases pass.`);
  };

  const sendRequest = async () => {
    if (!serverUp) return shell.warn('Start your server first.');
    const t0 = performance.now();
    const r = await shell.run(`${method} ${path}`, () => cancellable(send({ method, path, ...(method === 'POST' ? { body } : {}) })));
    if (r) setReply({ ...r, roundTripMs: performance.now() - t0 });
  };

  const runCommand = async () => {
    let parsed;
    try {
      parsed = parseCurl(command);
    } catch (error) {
      setTerminal(`$ ${command}\ncurl: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!serverUp) return setTerminal(`$ ${command}\ncurl: (7) Failed to connect: start your server first`);
    const r = await shell.run(`curl ${parsed.request.method} ${parsed.request.path}`, () => cancellable(send(parsed.request)));
    if (!r) return;
    setTerminal(`$ ${command}\n${parsed.include ? `HTTP/1.1 ${r.status}\ncontent-type: ${r.contentType}\n\n` : ''}${r.body.length > 2000 ? `${r.body.slice(0, 2000)}…` : r.body}`);
  };

  const example = (key: string) => {
    const e = EXAMPLES[key]!;
    setMethod(e.method);
    setPath(e.path);
    setBody(e.body ?? '');
  };

  return (
    <section className="lab-section" aria-labelledby="srv-server">
      <h2 id="srv-server">1. Your server</h2>
      <p className="lab-muted">
        <code>export default {'{ fetch(request, env) }'}</code> on Web-standard Request and Response. Finish <code>infer</code> so every bad request gets 400 with
        an error message, then run the contract test.
      </p>
      <CodeEditor files={{ [FILE]: source }} open={FILE} onEdit={(_, text) => setSource(text)} onRun={() => void runContract()} label="Server file" />
      <div className="lab-row">
        <button type="button" disabled={busy} onClick={() => void start()}>
          Start the server
        </button>
        <button type="button" className="lab-primary" disabled={busy} onClick={() => void runContract()}>
          Run the contract test
        </button>
        <button type="button" disabled={busy} onClick={() => setSource(starter)}>
          Back to the starter
        </button>
        <button type="button" disabled={busy} onClick={() => setSource(starterHono)}>
          Start over with Hono
        </button>
      </div>
      {contract && (
        <div className="lab-scroll" role="region" aria-label="Contract test results" tabIndex={0}>
          <table className="lab-table" data-testid="contract">
            <caption>
              Contract test, {ROUTES[contract.route]}: {passed} of {contract.outcomes.length} cases pass{contract.restoredAt ? ' (restored)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">case</th>
                <th scope="col">result</th>
                <th scope="col">status</th>
                <th scope="col">what was wrong</th>
              </tr>
            </thead>
            <tbody>
              {contract.outcomes.map((o) => (
                <tr key={o.name} data-passed={o.passed}>
                  <td>{o.name}</td>
                  <td>{o.passed ? 'pass' : 'FAIL'}</td>
                  <td>{o.status ?? '—'}</td>
                  <td>{o.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Preview</h3>
      {sandbox instanceof Error ? (
        <p className="lab-alert" data-testid="preview-problem">
          The preview cannot run in this browser: {sandbox.message}. Requests go straight to the worker instead.
        </p>
      ) : sandbox ? (
        <>
          <p className="lab-muted">
            A client web page for your API. Its requests are ordinary <code>fetch</code> calls to <code>{sandbox.scope}api/…</code>; the lab's service worker for that folder
            routes them to your server in the worker. Draw a digit and classify it.
          </p>
          <iframe key={previewKey} className="lab-frame" src={sandbox.page} title="Preview: a client page for your API" onLoad={(e) => setPreview(e.currentTarget.contentWindow)}
          />
          <div className="lab-row">
            <button
              type="button"
              onClick={() => {
                setPreview(null);
                setPreviewKey((k) => k + 1);
              }}
            >
              Reload the preview
            </button>
          </div>
        </>
      ) : (
        <p className="lab-muted">Starting the preview's service worker…</p>
      )}
      <NodeRun ctx={ctx} source={source} />
      <h3>Client</h3>
      <div className="lab-row">
        <label>
          Route
          <select value={route} onChange={(e) => setRoute(e.target.value as Route)}>
            <option value="service worker" disabled={!routes.serviceWorker}>
              {ROUTES['service worker']}
            </option>
            <option value="worker">{ROUTES.worker}</option>
          </select>
        </label>
      </div>
      <p className="lab-muted">
        {route === 'service worker'
          ? 'Requests from this panel, the terminal and the load tests leave as fetch calls from the preview page, through its service worker, to the worker that runs your server: HTTP as a browser sends it, with no network.'
          : 'Requests from this panel, the terminal and the load tests go from this page to the worker that runs your server by the worker protocol: no HTTP and no service worker in between.'}
      </p>
      <div className="lab-row">
        <label>
          Example
          <select onChange={(e) => example(e.target.value)} defaultValue="live">
            <option value="live">GET health/live</option>
            <option value="metadata">GET model metadata</option>
            <option value="infer">POST infer (one image)</option>
            <option value="bad">POST infer (too few values)</option>
          </select>
        </label>
        <label>
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value as 'GET' | 'POST')}>
            <option>GET</option>
            <option>POST</option>
          </select>
        </label>
        <label>
          Path
          <input value={path} onChange={(e) => setPath(e.target.value)} size={32} spellCheck={false} />
        </label>
        <button type="button" disabled={busy || !serverUp} onClick={() => void sendRequest()}>
          Send
        </button>
      </div>
      {method === 'POST' && (
        <div className="lab-fields">
          <label>
            Body (JSON)
            <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} spellCheck={false} />
          </label>
        </div>
      )}
      {reply && (
        <pre className="lab-code" data-testid="reply" role="region" aria-label="The server's answer" tabIndex={0}>
          {`HTTP ${reply.status} (${reply.contentType || 'no content-type'}) in ${reply.roundTripMs.toFixed(2)} ms, ${reply.serverMs.toFixed(2)} ms in your handler\n${reply.body.length > 600 ? `${reply.body.slice(0, 600)}…` : reply.body}`}
        </pre>
      )}
      <h3>Terminal</h3>
      <div className="lab-row">
        <label>
          $
          <input value={command} onChange={(e) => setCommand(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void runCommand()} size={30} spellCheck={false} aria-label="Command (curl)" />
        </label>
        <button type="button" disabled={busy} onClick={() => void runCommand()}>
          Run
        </button>
      </div>
      {terminal && (
        <pre className="lab-code" data-testid="terminal" role="region" aria-label="Terminal output" tabIndex={0}>
          {terminal}
        </pre>
      )}
    </section>
  );
}
