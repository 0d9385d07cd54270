/**
 * Alertmanager-like grouping: what the on-call person would receive from a stream of firing alerts. Modelled on
 * Alertmanager's documented route settings (no oracle checks the timing): alerts with the same values of `groupBy`
 * form a group; a new group waits `groupWait` before its first notification, so that alerts firing together arrive
 * together; after that the group is looked at every `groupInterval` and notified again when an alert joined or
 * resolved; a group whose alerts did not change is notified again after `repeatInterval`. Resolved alerts are sent
 * once, then dropped.
 */
import { labelsKey, type Labels } from './evaluate.ts';

export interface RouteConfig {
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}
export const DEFAULT_ROUTE: RouteConfig = { groupBy: ['alertname'], groupWaitMs: 30_000, groupIntervalMs: 5 * 60_000, repeatIntervalMs: 4 * 3_600_000 };

export interface Notification {
  at: number;
  group: Labels;
  firing: number;
  resolved: number;
}

interface Group {
  labels: Labels;
  /** Alerts now firing, by label key. */
  firing: Set<string>;
  /** What the last notification said was firing. */
  sent: Set<string> | null;
  resolvedSinceSent: number;
  nextCheck: number;
  lastSent: number;
}

/** Feeds the firing alerts of each evaluation (in time order) and returns the notifications, in order. */
export class Dispatcher {
  private groups = new Map<string, Group>();
  readonly notifications: Notification[] = [];
  private readonly route: RouteConfig;

  constructor(route: RouteConfig = DEFAULT_ROUTE) {
    this.route = route;
  }

  observe(at: number, firing: Labels[]): void {
    const now = new Map<string, Set<string>>();
    for (const labels of firing) {
      const groupLabels = Object.fromEntries(this.route.groupBy.map((k) => [k, labels[k] ?? '']));
      const gk = labelsKey(groupLabels);
      if (!this.groups.has(gk)) this.groups.set(gk, { labels: groupLabels, firing: new Set(), sent: null, resolvedSinceSent: 0, nextCheck: at + this.route.groupWaitMs, lastSent: -Infinity });
      if (!now.has(gk)) now.set(gk, new Set());
      now.get(gk)!.add(labelsKey(labels));
    }
    for (const [gk, g] of this.groups) {
      const current = now.get(gk) ?? new Set<string>();
      for (const a of g.firing) if (!current.has(a) && g.sent?.has(a)) g.resolvedSinceSent++;
      g.firing = current;
      if (at < g.nextCheck) continue;
      const changed = !g.sent || g.resolvedSinceSent > 0 || [...g.firing].some((a) => !g.sent!.has(a));
      if (changed || (g.firing.size && at - g.lastSent >= this.route.repeatIntervalMs)) {
        if (g.firing.size || g.resolvedSinceSent) this.notifications.push({ at, group: g.labels, firing: g.firing.size, resolved: g.resolvedSinceSent });
        g.sent = new Set(g.firing);
        g.resolvedSinceSent = 0;
        g.lastSent = at;
      }
      g.nextCheck = at + this.route.groupIntervalMs;
      if (!g.firing.size) this.groups.delete(gk);
    }
  }
}
