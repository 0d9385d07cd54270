// Writes the tuning lab's golden journals (labs/tuning/fixtures/*.jsonl): studies exported exactly as the lab exports
// them. Then `/usr/bin/python3 scripts/oracles/tuning.py` loads each with Optuna 3.1 and writes what Optuna reads
// back (labs/tuning/fixtures/optuna-readback.json). labs/tuning/journal.test.ts makes the same studies again and checks
// that the bytes are the same and that the lab's best trial is Optuna's.
// Usage: node scripts/oracles/tuning-journals.mjs
import { writeFileSync } from 'node:fs';
import { goldenJournals } from '../../labs/tuning/golden.ts';

for (const { file, text } of await goldenJournals()) {
  writeFileSync(new URL(`../../labs/tuning/fixtures/${file}`, import.meta.url), text);
  console.log(`wrote labs/tuning/fixtures/${file} (${text.length} bytes)`);
}
