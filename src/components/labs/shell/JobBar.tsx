/** The running job: what it does, how far it is, about how long it has left, and Cancel (also Esc). */
import { useEffect, useState } from 'react';
import type { RunningJob } from './useLabShell.ts';

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function JobBar({ job, onCancel }: { job: RunningJob; onCancel: () => void }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const elapsed = now - job.startedAt;
  const left = job.fraction > 0.05 && job.fraction < 1 ? (elapsed * (1 - job.fraction)) / job.fraction : null;
  return (
    <div className="lab-jobbar" data-testid="job" role="group" aria-label="Running job">
      <label>
        <span className="lab-jobbar-label">
          <strong>{job.label}</strong>: {job.message}
        </span>
        <progress max={1} value={job.fraction} />
      </label>
      <span className="lab-muted" aria-live="off">
        {duration(elapsed)}
        {left !== null && ` · about ${duration(left)} left`}
      </span>
      <button type="button" onClick={onCancel} aria-keyshortcuts="Escape">
        Cancel
      </button>
    </div>
  );
}
