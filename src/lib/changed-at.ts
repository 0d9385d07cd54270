/**
 * When a file of the course last changed, for the calendar's LAST-MODIFIED and SEQUENCE: the time of the last commit
 * that touched it, or the file's modification time when it has uncommitted changes or git cannot tell (a download
 * without history). Build time only.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function fileChangedAt(path: string): Date {
  const modified = statSync(path).mtime;
  const uncommitted = git(['status', '--porcelain', '--', path]);
  if (uncommitted !== '') return modified; // changed since the last commit, or not a git checkout
  const committed = git(['log', '-1', '--format=%cI', '--', path]);
  return committed ? new Date(committed) : modified;
}
