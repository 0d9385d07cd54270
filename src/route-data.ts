/**
 * Starlight route middleware. Starlight's splash template (the home and 404 pages) has no sidebar, and with the
 * sidebar go the phone's menu button and the theme switch, which on phones lives in that menu (withastro/starlight
 * issue 977). Splash pages here keep the sidebar, so every page has the same navigation and theme switch at every width.
 */
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';

export const onRequest = defineRouteMiddleware(({ locals }) => {
  const route = locals.starlightRoute;
  if (route.entry.data.template === 'splash') route.hasSidebar = true;
});
