/**
 * What a student's server file may import by name in the lab, as it could on their own machine after `npm i`: Hono
 * (a web framework on Web-standard Request and Response). The worker imports server files with `importServer`, so
 * `import { Hono } from 'hono'` gets the copy bundled with the lab.
 */
import * as hono from 'hono';
import { importSource } from '../../src/labkit/lab/exercise.ts';
import { linkPackages } from '../../src/labkit/lab/packages.ts';

export const SERVER_PACKAGES: Record<string, Record<string, unknown>> = { hono };

/** Imports a server file from its source, with its imports of the packages above linked to the lab's copies. */
export async function importServer(source: string): Promise<Record<string, unknown>> {
  const { source: linked, dispose } = linkPackages(source, SERVER_PACKAGES);
  try {
    return await importSource(linked);
  } finally {
    dispose();
  }
}
