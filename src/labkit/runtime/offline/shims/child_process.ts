/**
 * node:child_process cannot be honest in a Web Worker (there are no other programs to start), so importing it works
 * and every call says why it fails, instead of pretending to run something.
 */
const REASON =
  'child_process is not available in the offline runtime: a Web Worker cannot start other programs. ' +
  'Run this lab with WebContainers (a real Node.js) to use it.';

export function childProcessModule(): Record<string, unknown> {
  const unavailable = (name: string) => () => {
    const error = new Error(`${name}(): ${REASON}`) as Error & { code: string };
    error.code = 'ERR_OFFLINE_UNAVAILABLE';
    throw error;
  };
  return Object.fromEntries(
    ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'].map((name) => [name, unavailable(name)]),
  );
}
