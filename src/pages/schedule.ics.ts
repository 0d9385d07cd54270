import type { APIRoute } from 'astro';
import { getCatalogue, getCourse } from '~/lib/catalogue';
import { scheduleToIcs, type CalendarLink } from '~/lib/calendar';
import { fileChangedAt } from '~/lib/changed-at';
import { siteUrl } from '~/lib/calendar';

export const GET: APIRoute = async () => {
  const course = await getCourse();
  const modules = await getCatalogue();
  const labs: Record<string, CalendarLink> = {};
  for (const lab of modules.flatMap((m) => m.labs)) labs[lab.id] = { title: lab.title, url: lab.entry && siteUrl(course, `labs/${lab.id}/`) };
  // The events' text comes from the course file and the labs' titles: the calendar changes when one of them does.
  const sources = ['content/course.yaml', ...modules.flatMap((m) => m.labs.flatMap((lab) => (lab.entry?.filePath ? [lab.entry.filePath] : [])))];
  const body = scheduleToIcs(course, {
    stamp: new Date(),
    changedAt: new Date(Math.max(...sources.map((file) => fileChangedAt(file).getTime()))),
    modules: Object.fromEntries(modules.map((m) => [m.id, { title: m.title, url: m.reading && siteUrl(course, `modules/${m.id}/`) }])),
    labs,
  });
  return new Response(body, { headers: { 'Content-Type': 'text/calendar; charset=utf-8' } });
};
