/**
 * Which events start a workflow, as GitHub documents `on:` ("Workflow syntax", filter pattern cheat sheet):
 * - `*` any characters but `/`; `**` any characters; `?` the preceding character zero or one time; `+` one or more
 *   times; `[…]` a class; a leading `!` makes a pattern negative, and the last pattern that matches decides;
 * - `branches` / `branches-ignore` on the pushed branch, or on a pull request's base branch;
 * - `paths`: at least one changed file must be included; `paths-ignore`: runs unless every changed file is ignored;
 * - `pull_request` without `types` runs on `opened`, `synchronize` and `reopened`.
 */
import type { WorkflowTemplate } from '@actions/workflow-parser';

export interface RepoEvent {
  name: 'push' | 'pull_request' | 'workflow_dispatch';
  /** push: the branch pushed; pull_request: the base branch; workflow_dispatch: the branch run on. */
  branch: string;
  /** pull_request: opened, synchronize, reopened, closed. */
  action?: string;
  /** Files the push or pull request changed (not for workflow_dispatch). */
  changedFiles: string[];
}

export interface TriggerDecision {
  runs: boolean;
  reason: string;
}

/** A GitHub filter pattern as a regular expression over the whole name. */
export function patternRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*' && pattern[i + 2] === '/') {
        // `**/` also matches no folder at all: `**/README.md` matches README.md.
        out += '(?:.*/)?';
        i += 2;
      } else if (pattern[i + 1] === '*') {
        out += '.*';
        i += 1;
      } else out += '[^/]*';
    } else if (c === '?' || c === '+') {
      out += c;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += `[${pattern.slice(i + 1, close).replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[.^$|(){}\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Whether a name is included by a list of patterns, negative ones included: the last match decides. */
export function included(name: string, patterns: string[]): boolean {
  let result = false;
  for (const p of patterns) {
    const negative = p.startsWith('!');
    if (patternRegex(negative ? p.slice(1) : p).test(name)) result = !negative;
  }
  return result;
}

type Filters = { branches?: string[]; 'branches-ignore'?: string[]; paths?: string[]; 'paths-ignore'?: string[]; types?: string[] };

const quote = (list: string[]) => list.map((p) => `'${p}'`).join(', ');

/** Whether the workflow runs for this event, and why (in words for the page). */
export function decideTrigger(events: WorkflowTemplate['events'], event: RepoEvent): TriggerDecision {
  if (!(event.name in events)) return { runs: false, reason: `the workflow has no \`on: ${event.name}\` trigger` };
  const f = (events[event.name] ?? {}) as Filters;
  const what = event.name === 'pull_request' ? `pull request into ${event.branch}` : event.name === 'push' ? `push to ${event.branch}` : `manual run on ${event.branch}`;
  if (event.name === 'pull_request') {
    const types = f.types ?? ['opened', 'synchronize', 'reopened'];
    if (!types.includes(event.action ?? 'opened')) return { runs: false, reason: `${what}: activity '${event.action}' is not in types [${types.join(', ')}]` };
  }
  if (f.branches && !included(event.branch, f.branches)) return { runs: false, reason: `${what}: branch '${event.branch}' does not match branches ${quote(f.branches)}` };
  if (f['branches-ignore'] && included(event.branch, f['branches-ignore'])) return { runs: false, reason: `${what}: branch '${event.branch}' matches branches-ignore ${quote(f['branches-ignore'])}` };
  if (event.name !== 'workflow_dispatch') {
    if (f.paths) {
      const hit = event.changedFiles.find((file) => included(file, f.paths!));
      if (!hit) return { runs: false, reason: `${what}: no changed file matches paths ${quote(f.paths)}` };
      return { runs: true, reason: `${what}: ${hit} matches paths ${quote(f.paths)}` };
    }
    if (f['paths-ignore']) {
      const kept = event.changedFiles.find((file) => !included(file, f['paths-ignore']!));
      if (!kept) return { runs: false, reason: `${what}: every changed file matches paths-ignore ${quote(f['paths-ignore'])}` };
    }
  }
  return { runs: true, reason: what };
}
