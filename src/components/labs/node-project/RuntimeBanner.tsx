/** Which runtime runs the code and why; while WebContainers start, a countdown and "Run offline now". */
import type { Banner } from './useProjectRuntime.ts';

interface Props {
  banner: Banner;
  running: boolean;
  onRunOffline(): void;
  onRetry(): void;
}

export function RuntimeBanner({ banner, running, onRunOffline, onRetry }: Props) {
  const choice = banner.phase === 'ready' ? banner.choice : null;
  return (
    <div className={`lab-banner ${choice ? `lab-banner-${choice.kind}` : ''}`} data-testid="runtime-banner">
      <p>
        <strong>Runtime: </strong>
        {banner.phase === 'idle' && 'chosen when you first press Run. WebContainers (Node.js in the page) are tried first; without them the offline runtime runs your code.'}
        {banner.phase === 'starting' &&
          `starting WebContainers${banner.secondsLeft === null ? '…' : ` (waiting at most ${banner.secondsLeft} s more)…`}`}
        {choice && (
          <>
            <span data-testid="runtime-kind">{choice.kind === 'webcontainer' ? 'WebContainers (Node.js)' : 'offline'}</span>. {choice.reason}
          </>
        )}
      </p>
      {banner.phase === 'starting' && (
        <button type="button" onClick={onRunOffline}>
          Run offline now
        </button>
      )}
      {choice && choice.kind === 'offline' && choice.code !== 'unsupported' && choice.code !== 'forced' && (
        <button type="button" onClick={onRetry} disabled={running}>
          Retry WebContainers
        </button>
      )}
    </div>
  );
}
