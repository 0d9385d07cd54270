/** The lab report as a zip: `report.md` + `charts/*.svg` (see report.ts), built with fflate. */
import { strToU8, zipSync } from 'fflate';
import { labReportFiles, type LabReportInput } from './report';

export function zipFiles(files: Record<string, string | Uint8Array>, folder = ''): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) entries[`${folder}${name}`] = typeof content === 'string' ? strToU8(content) : content;
  // A fixed date keeps the zip byte-for-byte reproducible for the same report.
  return zipSync(entries, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
}

/** The report zip; everything sits in one folder named after the lab, so unpacking is tidy. */
export function labReportZip(input: LabReportInput): Uint8Array {
  return zipFiles(labReportFiles(input).files, `lab-report-${input.lab.id}/`);
}
