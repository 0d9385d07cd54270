/** Step 1: the backend and the model: a committed baseline, or the student's own files (model.json + .bin, or a zip). */
import { unpackModelFiles } from '../../../labkit/ml/uploads.ts';
import type { Backend, ModelSource } from '../../../../labs/quantize-prune/protocol.ts';
import { models } from '../../../../labs/quantize-prune/compare.ts';
import type { QpContext } from './QuantizePruneWorkspace.tsx';

interface Props {
  ctx: QpContext;
  backend: Backend;
  onBackend: (b: Backend) => void;
  onLoad: (source: ModelSource, label: string) => void;
}

/** The files of an upload: a zip is unpacked, and every entry is named by its base name. */
async function readFiles(list: FileList) {
  return unpackModelFiles(await Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
}

export function ModelSection({ ctx, backend, onBackend, onLoad }: Props) {
  const { summary, busy, state, shell } = ctx;
  const done = models(state);
  const upload = async (list: FileList | null) => {
    if (!list?.length) return;
    try {
      const files = await readFiles(list);
      const json = files.find((f) => f.name.toLowerCase().endsWith('.json'))?.name ?? list[0]!.name;
      onLoad({ kind: 'upload', label: json, files }, 'Load your model');
    } catch (error) {
      shell.warn(`Load your model: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <section className="lab-section" aria-labelledby="qp-model">
      <h2 id="qp-model">1. Model</h2>
      <div className="lab-row">
        <label>
          Backend
          <select value={backend} disabled={!!shell.job} onChange={(e) => onBackend(e.target.value as Backend)}>
            <option value="wasm">wasm</option>
            <option value="cpu">cpu (slow)</option>
            <option value="webgl">webgl</option>
            <option value="webgpu">webgpu</option>
          </select>
        </label>
        <button type="button" disabled={busy} onClick={() => onLoad({ kind: 'baseline', name: 'dense' }, 'Load the dense baseline')}>
          Load dense baseline
        </button>
        <button type="button" disabled={busy} onClick={() => onLoad({ kind: 'baseline', name: 'cnn' }, 'Load the CNN baseline')}>
          Load CNN baseline
        </button>
        <label>
          Or your own tfjs LayersModel (model.json with its .bin files, or a zip):
          <input type="file" multiple accept=".json,.bin,.zip" disabled={busy} onChange={(e) => void upload(e.target.files)} />
        </label>
      </div>
      {summary ? (
        <p data-testid="model-summary">
          Working on <strong>{summary.key.replace(/^upload:/, 'your model ')}</strong>: {summary.params.toLocaleString('en')} parameters; layers{' '}
          {summary.layers.map((l) => `${l.name} (${l.className})`).join(', ')}. New variants are made from this model.
        </p>
      ) : (
        <p className="lab-muted">Load a model to make variants. {done.length ? `Your results for ${done.join(', ')} are kept below.` : ''}</p>
      )}
    </section>
  );
}
