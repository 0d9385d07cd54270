import type { APIRoute } from 'astro';
import { getCatalogue, getCourse } from '~/lib/catalogue';
import { scheduleToIcs } from '~/lib/schedule';

export const GET: APIRoute = async ({ site }) => {
  const course = await getCourse();
  const modules = await getCatalogue();
  const siteUrl = (site?.href ?? 'https://example.org/').replace(/\/$/, '');
  const body = scheduleToIcs(course, {
    host: new URL(siteUrl).host,
    siteUrl,
    stamp: new Date(`${course.start}T00:00:00Z`),
    moduleTitles: Object.fromEntries(modules.map((m) => [m.id, m.title])),
  });
  return new Response(body, { headers: { 'Content-Type': 'text/calendar; charset=utf-8' } });
};
