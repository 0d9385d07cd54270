// Builds the sidebar from the course file and the content tree, so a new module reading, deck or lab
// appears in the navigation without editing the config. Entries that do not exist yet are left out here;
// the module outline page shows them as "coming".
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const guidePages = [
  'overview',
  'goals',
  'prerequisites',
  'contents',
  'methods',
  'labs-and-demos',
  'project',
  'assessment',
  'schedule',
  'resources',
];

export function readCourse() {
  return parse(readFileSync(root('content/course.yaml'), 'utf8'));
}

function frontmatterTitle(path) {
  const match = readFileSync(path, 'utf8').match(/^---\n([\s\S]*?)\n---/);
  return match ? parse(match[1]).title : undefined;
}

export function labIds() {
  return readdirSync(root('labs'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(root(`labs/${d.name}/index.mdx`)))
    .map((d) => d.name);
}

export function sidebar() {
  const course = readCourse();
  const readings = course.modules
    .filter((m) => existsSync(root(`content/modules/${m.id}.mdx`)))
    .map((m) => ({ label: `${course.modules.indexOf(m) + 1}. ${m.title}`, link: `/modules/${m.id}/` }));
  const labs = labIds().map((id) => ({ label: frontmatterTitle(root(`labs/${id}/index.mdx`)) ?? id, link: `/labs/${id}/` }));
  return [
    { label: 'Study guide', items: guidePages.map((page) => ({ slug: `guide/${page}` })) },
    { label: 'Modules', items: [{ label: 'Module outline', link: '/modules/' }, ...readings] },
    { label: 'Labs', items: [{ label: 'All labs', link: '/labs/' }, ...labs, { label: 'Your progress', link: '/progress/' }] },
    { label: 'Slides', items: [{ label: 'All lecture decks', link: '/slides/' }] },
  ];
}
