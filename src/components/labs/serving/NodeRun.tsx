/**
 * Step 1's Node run: the same server file under a real Node.js in the page (WebContainers), installed, started and
 * checked with the contract test over HTTP inside the container (labs/serving/node.ts). Where WebContainers cannot
 * start, it says why; the server keeps running in the worker either way.
 */
import { useEffect, useRef, useState } from 'react';
import { detectSupport, startWebContainers } from '../../../labkit/runtime/choose.ts';
import type { WebContainerApi } from '../../../labkit/runtime/webcontainer.ts';
import { nodeProject, runInNode, type NodeServer } from '../../../../labs/serving/node.ts';
import { cancellable } from '../../../../labs/serving/driver.ts';
import { DENSE_MNIST } from '../../../../labs/serving/server/mnist-dense.mjs';
import { siteBase } from '../../../labkit/ml/tfjs-assets.ts';
import type { ServingContext } from './ServingWorkspace.tsx';

/** The log keeps its last characters only: npm install can print a lot. */
const LOG_CHARS = 6_000;

async function readAsset(path: string): Promise<Uint8Array> {
  const response = await fetch(`${siteBase()}${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export function NodeRun({ ctx, source }: { ctx: ServingContext; source: string }) {
  const { shell, busy } = ctx;
  const [log, setLog] = useState('');
  const [server, setServer] = useState<NodeServer | null>(null);
  const running = useRef<NodeServer | null>(null);
  useEffect(() => () => running.current?.stop(), []);

  const run = async () => {
    running.current?.stop();
    running.current = null;
    setServer(null);
    setLog('');
    const append = (text: string) => setLog((all) => (all + text).slice(-LOG_CHARS));
    const work = async () => {
      append('Starting WebContainers…\n');
      const started = await startWebContainers({
        support: detectSupport(),
        loadApi: async () => (await import('@webcontainer/api')).WebContainer as unknown as WebContainerApi,
      });
      if (!started.ok) throw new Error(`${started.why} Your server keeps running in the worker.`);
      return runInNode(started.wc, await nodeProject(source, readAsset), append);
    };
    const result = await shell.run('Run the server in Node (WebContainers)', () => {
      // A server that comes up after Cancel is stopped at once.
      let cancelled = false;
      const job = cancellable(
        work().then(
          (started) => (cancelled && started.stop(), started),
          (error: unknown) => {
            append(`✗ ${error instanceof Error ? error.message : String(error)}\n`);
            throw error;
          },
        ),
      );
      return { promise: job.promise, cancel: () => ((cancelled = true), job.cancel()) };
    });
    if (!result) return;
    running.current = result;
    setServer(result);
    shell.session.update((s) => ({ ...s, server: { at: new Date().toISOString(), source }, contract: { at: new Date().toISOString(), route: 'node', outcomes: result.outcomes } }));
    const failed = result.outcomes.filter((o) => !o.passed).length;
    shell.say(`In Node (WebContainers): ${failed ? `${failed} of ${result.outcomes.length} contract cases fail` : `all ${result.outcomes.length} contract cases pass`}.`);
  };

  return (
    <>
      <h3>In Node (WebContainers)</h3>
      <p className="lab-muted">
        The same file under a real Node.js in this page (WebContainers by StackBlitz): the lab mounts it beside <code>serve.mjs</code> and the model, runs <code>npm install</code>{' '}
        (it fetches TensorFlow.js from the npm registry, so it needs the internet), starts <code>node serve.mjs server.mjs</code> and runs the contract test over HTTP with{' '}
        <code>node check.mjs</code>: the commands you would type on your own machine.
      </p>
      <div className="lab-row">
        <button type="button" disabled={busy} onClick={() => void run()}>
          Run it in Node (WebContainers)
        </button>
        {server && (
          <button
            type="button"
            onClick={() => {
              server.stop();
              running.current = null;
              setServer(null);
            }}
          >
            Stop the Node server
          </button>
        )}
      </div>
      {log && (
        <pre className="lab-code" data-testid="node-log" role="region" aria-label="Log of the Node run" tabIndex={0}>
          {log}
        </pre>
      )}
      {server?.url && <iframe className="lab-frame" src={`${server.url}/v2/models/${DENSE_MNIST.name}`} title="Your server in Node: the model's metadata" />}
    </>
  );
}
