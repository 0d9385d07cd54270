/**
 * Picks what is current from server-rendered alternatives: every element with `data-from` and `data-to` (ISO dates,
 * inclusive) is a candidate for today's date in the course's time zone. Runs in the browser, so a static build stays
 * right as the term goes on.
 */
import { dateInZone } from '~/lib/schedule';

/** Today's date in the time zone, as an ISO date. */
export const todayIn = (timeZone: string) => dateInZone(new Date(), timeZone);

/** The candidates under `root` whose range holds `today`. */
export function currentOf(root: ParentNode, today: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('[data-from][data-to]')].filter((el) => el.dataset.from! <= today && today <= el.dataset.to!);
}
