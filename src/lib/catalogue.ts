/**
 * The course catalogue: modules from content/course.yaml joined with what exists for them: the reading, the decks
 * and the labs. Pages use it so an entry that does not exist yet shows as "coming" instead of a dead link.
 */
import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import type { Course, CourseModule } from '../schemas';
import { demoWindows, type DemoWindow } from './schedule';

export interface PlannedLab {
  id: string;
  title: string;
  /** Undefined while the lab is planned in the schedule but not written yet. */
  entry?: CollectionEntry<'labs'>;
}

export interface CatalogueModule extends CourseModule {
  number: number;
  reading?: CollectionEntry<'modules'>;
  decks: CollectionEntry<'slides'>[];
  labs: PlannedLab[];
}

export async function getCourse(): Promise<Course> {
  const entry = await getEntry('course', 'course');
  if (!entry) throw new Error('content/course.yaml is missing');
  return entry.data;
}

const titleCase = (id: string) => id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

export async function getCatalogue(): Promise<CatalogueModule[]> {
  const [course, readings, decks, labs] = await Promise.all([
    getCourse(),
    getCollection('modules'),
    getCollection('slides'),
    getCollection('labs'),
  ]);
  const known = new Set(course.modules.map((m) => m.id));
  for (const reading of readings) {
    if (!known.has(reading.id)) {
      throw new Error(`content/modules/${reading.id}.mdx: "${reading.id}" is not a module id in content/course.yaml`);
    }
  }
  return course.modules.map((module, index) => {
    const labIds = new Set([
      ...labs.filter((lab) => lab.data.module === module.id).map((lab) => lab.id),
      ...course.weeks.filter((week) => week.module === module.id && week.lab).map((week) => week.lab!),
    ]);
    return {
      ...module,
      number: index + 1,
      reading: readings.find((r) => r.id === module.id),
      decks: decks.filter((deck) => deck.data.module === module.id),
      labs: [...labIds].map((id) => {
        const entry = labs.find((lab) => lab.id === id);
        return { id, title: entry?.data.title ?? titleCase(id), entry };
      }),
    };
  });
}

export interface CourseLab extends PlannedLab {
  /** The modules the lab belongs to, in course order. */
  modules: Pick<CatalogueModule, 'id' | 'number' | 'title' | 'reading'>[];
  /** Its demo window; absent for a lab that no week of the schedule names. */
  window?: DemoWindow;
}

/** Every lab once, in the order the labs start in the schedule; labs the schedule does not name come last. */
export async function getLabs(): Promise<CourseLab[]> {
  const [course, modules] = await Promise.all([getCourse(), getCatalogue()]);
  const windows = demoWindows(course);
  const labs = new Map<string, CourseLab>();
  for (const module of modules) {
    for (const lab of module.labs) {
      const known = labs.get(lab.id) ?? { ...lab, modules: [], window: windows.find((w) => w.lab === lab.id) };
      known.modules.push({ id: module.id, number: module.number, title: module.title, reading: module.reading });
      labs.set(lab.id, known);
    }
  }
  const start = (lab: CourseLab) => lab.window?.startWeek ?? Number.POSITIVE_INFINITY;
  return [...labs.values()].sort((a, b) => start(a) - start(b) || a.modules[0].number - b.modules[0].number);
}
