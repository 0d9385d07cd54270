/** Step 5: take the work out: the project as a zip to build with Docker, and the image as an OCI layout tar. */
import { downloadFile, mime } from '../../../labkit/report/download.ts';
import { zipFiles } from '../../../labkit/report/zip.ts';
import { humanSize } from '../../../labkit/docker/fs.ts';
import type { ContainersContext } from './ContainersWorkspace.tsx';

const README = (simulated: string[]) => `# fraud-detector API: exported from the MLOps course's containers lab

Build and run it with Docker (or Podman):

    docker build -t fraud-api .
    docker run --rm -p 8000:8000 fraud-api
    docker compose up --build

The lab built this project in a simulator. Real builds print their own cache decisions ("CACHED"),
sizes and times: compare them with your lab report.
${simulated.length ? `\nThese files of the lab's project were simulated and are not in this zip:\n\n${simulated.map((s) => `- ${s}`).join('\n')}\n` : ''}`;

export function ExportSection({ ctx }: { ctx: ContainersContext }) {
  const { state, shell, client, busy } = ctx;
  const latest = state.builds.filter((b) => b.kind === 'build' && b.ok).at(-1);

  const project = () => {
    const files: Record<string, string> = {};
    for (const f of state.files) if (f.text !== undefined) files[f.path] = f.text;
    const simulated = state.files.filter((f) => f.synthetic).map((f) => `${f.path} (${humanSize(f.synthetic!.size)})`);
    files['EXPORTED-FROM-THE-LAB.md'] = README(simulated);
    downloadFile('fraud-api-project.zip', zipFiles(files, 'fraud-api/'), mime.zip);
  };

  const image = async () => {
    if (!latest) return;
    const made = await shell.run(`Export ${latest.id} as an OCI image layout`, () => client.call('exportOci', { id: latest.id, history: state.builds, blobs: state.blobs }));
    if (!made) return;
    downloadFile(`fraud-api-${latest.id}-oci.tar`, made.tar, 'application/x-tar');
    shell.say(`Exported ${latest.id} (${humanSize(made.tar.length)}), manifest ${made.manifestDigest.slice(0, 19)}…: inspect it with skopeo inspect oci-archive:fraud-api-${latest.id}-oci.tar.`);
  };

  return (
    <section className="lab-section" aria-labelledby="ct-export">
      <h2 id="ct-export">5. Export</h2>
      <div className="lab-row">
        <button type="button" onClick={project} disabled={busy}>
          Download the project (.zip)
        </button>
        <button type="button" onClick={() => void image()} disabled={busy || !latest}>
          Download the image of {latest?.id ?? 'a build'} as an OCI layout (.tar)
        </button>
      </div>
      <p className="lab-muted">
        The OCI layout is real (manifest, config with its history, one gzipped layer per step, reproducible to the byte) and{' '}
        <code>skopeo inspect</code> and <code>umoci unpack</code> read it. Files from the build context are in it as they are. Packages are small
        stand-in text files that say what they replace, so the image does not run.
      </p>
    </section>
  );
}
