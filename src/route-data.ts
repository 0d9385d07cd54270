/**
 * Starlight route middleware.
 * - Starlight does not put the base path in front of a hero's action links (frontmatter `hero.actions[].link`), so a
 *   fork served under a path (https://user.github.io/course/) gets them here, as every other site link gets it.
 * - Starlight's splash template (the home and 404 pages) has no sidebar, and with the
 * sidebar go the phone's menu button and the theme switch, which on phones lives in that menu (withastro/starlight
 * issue 977). Splash pages here keep the sidebar, so every page has the same navigation and theme switch at every width.
 */
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { withBase } from './lib/base';

export const onRequest = defineRouteMiddleware(({ locals }) => {
  const route = locals.starlightRoute;
  if (route.entry.data.template === 'splash') route.hasSidebar = true;
  const base = withBase('/');
  for (const action of route.entry.data.hero?.actions ?? []) {
    if (action.link.startsWith('/') && !action.link.startsWith(base)) action.link = withBase(action.link);
  }
});
