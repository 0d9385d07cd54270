/**
 * The repository as on GitHub: the branch the editor shows, what differs from its last commit, Commit and push,
 * branches, pull requests (open, merge, their last run and report), the planted pull requests, and Run workflow.
 */
import { useState } from 'react';
import type { Scenario } from '../../../../labs/cicd/scenarios.ts';
import type { Repo } from '../../../labkit/ci/git.ts';
import type { RunRecord } from '../../../labkit/ci/record.ts';
import { CONCLUSION_MARK } from './JobGraph.tsx';

interface Props {
  repo: Repo;
  branch: string;
  /** Files that differ between the editor and the branch's last commit. */
  changed: string[];
  runs: RunRecord[];
  busy: boolean;
  scenarios: Scenario[];
  onCommit(message: string): void;
  onCheckout(branch: string): void;
  onCreateBranch(name: string): void;
  onOpenPull(title: string): void;
  onMerge(number: number): void;
  onPlant(scenario: Scenario): void;
  onDispatch(): void;
  onShowRun(id: number): void;
}

export function GitPanel({ repo, branch, changed, runs, busy, scenarios, onCommit, onCheckout, onCreateBranch, onOpenPull, onMerge, onPlant, onDispatch, onShowRun }: Props) {
  const [message, setMessage] = useState('');
  const [newBranch, setNewBranch] = useState('');
  const [title, setTitle] = useState('');
  const head = repo.state.branches[branch];
  const headCommit = head ? repo.commit(head) : undefined;
  const pulls = [...repo.state.pulls].reverse();
  const lastRun = (pullNumber: number) => [...runs].reverse().find((r) => r.ref === `refs/pull/${pullNumber}/merge`);
  return (
    <section className="lab-section ci-git" aria-labelledby="ci-git-title">
      <h3 id="ci-git-title">Repository</h3>
      <div className="lab-row">
        <label>
          Branch{' '}
          <select value={branch} onChange={(e) => onCheckout(e.target.value)} disabled={busy} data-testid="branch">
            {Object.keys(repo.state.branches).map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <span className="ci-muted">
          at <code>{head?.slice(0, 7)}</code> {headCommit?.message}
        </span>
      </div>
      <p className="ci-muted" data-testid="changes">
        {changed.length ? `Changed since the last commit: ${changed.join(', ')}` : 'No changes since the last commit on this branch.'}
      </p>
      <form
        className="lab-row"
        onSubmit={(e) => {
          e.preventDefault();
          onCommit(message);
          setMessage('');
        }}
      >
        <input value={message} onChange={(e) => setMessage(e.target.value)} placeholder="Commit message" aria-label="Commit message" maxLength={200} />
        <button type="submit" className="lab-primary" disabled={busy || !changed.length}>
          Commit and push
        </button>
        <button type="button" onClick={onDispatch} disabled={busy}>
          Run workflow
        </button>
      </form>
      <form
        className="lab-row"
        onSubmit={(e) => {
          e.preventDefault();
          onCreateBranch(newBranch);
          setNewBranch('');
        }}
      >
        <input value={newBranch} onChange={(e) => setNewBranch(e.target.value)} placeholder="new-branch-name" aria-label="New branch name" maxLength={60} />
        <button type="submit" disabled={busy || !newBranch.trim()}>
          New branch
        </button>
      </form>
      {branch !== repo.state.defaultBranch && !repo.state.pulls.some((p) => p.head === branch && p.state === 'open') && (
        <form
          className="lab-row"
          onSubmit={(e) => {
            e.preventDefault();
            onOpenPull(title);
            setTitle('');
          }}
        >
          <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder={`Pull request title (${branch} → main)`} aria-label="Pull request title" maxLength={200} />
          <button type="submit" disabled={busy}>
            Open pull request
          </button>
        </form>
      )}
      <h4>Pull requests</h4>
      {pulls.length === 0 ? (
        <p className="ci-muted">None yet.</p>
      ) : (
        <ul className="ci-pulls">
          {pulls.map((p) => {
            const run = lastRun(p.number);
            return (
              <li key={p.number} data-testid={`pull-${p.number}`}>
                <strong>#{p.number}</strong> {p.title} <span className="ci-muted">({p.head} → {p.base}, {p.state})</span>{' '}
                {run && (
                  <button type="button" className="ci-link" onClick={() => onShowRun(run.id)}>
                    {CONCLUSION_MARK[run.conclusion ?? run.status]} run #{run.id}
                  </button>
                )}{' '}
                {p.state === 'open' && (
                  <>
                    {p.head !== branch && (
                      <button type="button" onClick={() => onCheckout(p.head)} disabled={busy}>
                        Edit on {p.head}
                      </button>
                    )}{' '}
                    <button type="button" onClick={() => onMerge(p.number)} disabled={busy || run?.conclusion !== 'success'} title={run?.conclusion === 'success' ? 'Squash and merge' : 'Merging waits for a successful run, as a branch protection rule would'}>
                      Merge
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div className="lab-row">
        {scenarios.map((s) => (
          <button key={s.id} type="button" onClick={() => onPlant(s)} disabled={busy} data-testid={`plant-${s.id}`}>
            Plant: {s.id === 'regression' ? 'scaling refactor' : 'field survey'}
          </button>
        ))}
      </div>
    </section>
  );
}
