/** What the student must know about their saved work: storage problems, unreadable saved work, restored results. */
import { progressStore } from '../../../labkit/progress/index.ts';
import { downloadFile, mime } from '../../../labkit/report/download.ts';
import type { LabSession } from '../../../labkit/lab/session.ts';

export function SessionNotices<S>({ session }: { session: LabSession<S> }) {
  const { status, setAside, meta } = session;
  const exportProgress = () => {
    const store = progressStore();
    downloadFile(store.exportFileName(), store.exportText(), mime.json);
  };
  return (
    <>
      {!status.saved && (
        <div className="lab-notice lab-notice-warn" role="alert" data-testid="storage-notice">
          <p>{status.message}</p>
          <button type="button" onClick={exportProgress}>
            Export all progress now (.json)
          </button>
        </div>
      )}
      {setAside && (
        <div className="lab-notice lab-notice-warn" role="alert" data-testid="set-aside">
          <p>
            {setAside.message} It was set aside, and the lab started afresh. Download it to keep it, or discard it.
          </p>
          <button type="button" onClick={() => downloadFile(`unreadable-${session.definition.id}-work.json`, session.setAsideText(), mime.json)}>
            Download the unreadable work
          </button>
          <button type="button" onClick={() => session.discardSetAside()}>
            Discard it
          </button>
        </div>
      )}
      {meta.restoredAt && (
        <p className="lab-notice" data-testid="restored">
          Some results here were restored from a progress file imported on {new Date(meta.restoredAt).toLocaleDateString()}. They are marked
          &ldquo;restored&rdquo;, and your report says so: a lecturer does not count them as measured in this browser.
        </p>
      )}
    </>
  );
}
