/**
 * The pull requests the lab plants, as changes to the files (not copies): a refactor with a feature-scaling bug,
 * and a data update with mislabelled rows. Each names its branch, title and commit message.
 */
import type { FileMap } from '../../src/labkit/ci/files.ts';

export interface Scenario {
  id: 'regression' | 'poisoned';
  branch: string;
  title: string;
  message: string;
  /** What the pull request does to the files; throws when the files no longer have what it changes. */
  apply(files: FileMap): FileMap;
  /** The file and line it breaks (for the lab text and the tests). */
  breaks: { file: string; line: number };
}

export const SCALING_LINE = '  return matrix.map((row) => row.map((v, j) => (v - mean[j]) / std[j]));';
export const BUGGY_SCALING_LINE = '  return matrix.map((row) => row.map((v, j) => v / std[j]));';

/** Rows (data lines, 1-based with the header as line 1) that the poisoned update relabels as setosa. */
export const POISONED_LINES = Array.from({ length: 12 }, (_, i) => 52 + i);

export const SCENARIOS: Scenario[] = [
  {
    id: 'regression',
    branch: 'simplify-scaling',
    title: 'Simplify feature scaling',
    message: 'Scale each feature by its spread',
    apply(files) {
      const text = files['lib/data.mjs'] ?? '';
      if (!text.includes(SCALING_LINE)) throw new Error('lib/data.mjs no longer has the scaling line this pull request changes; reset lib/data.mjs first');
      return { ...files, 'lib/data.mjs': text.replace(SCALING_LINE, BUGGY_SCALING_LINE) };
    },
    breaks: { file: 'lib/data.mjs', line: 78 },
  },
  {
    id: 'poisoned',
    branch: 'field-survey',
    title: 'Add labels from the field survey',
    message: 'Relabel twelve plants after the field survey',
    apply(files) {
      const lines = (files['data/iris.csv'] ?? '').split('\n');
      for (const n of POISONED_LINES) {
        const cells = lines[n - 1]?.split(',');
        if (!cells || cells[4] !== 'versicolor') throw new Error(`data/iris.csv line ${n} is not the versicolor row this pull request relabels; reset data/iris.csv first`);
        cells[4] = 'setosa';
        lines[n - 1] = cells.join(',');
      }
      return { ...files, 'data/iris.csv': lines.join('\n') };
    },
    breaks: { file: 'data/iris.csv', line: POISONED_LINES[0]! },
  },
];
