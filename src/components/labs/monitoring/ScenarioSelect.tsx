/** The scenario picker the stream and the log explorer share. */
import { SCENARIOS, SCENARIO_IDS, type ScenarioId } from '../../../../labs/monitoring/scenarios.ts';

export function ScenarioSelect({ value, onChange, disabled }: { value: ScenarioId; onChange: (id: ScenarioId) => void; disabled: boolean }) {
  return (
    <label>
      Scenario
      <select value={value} onChange={(e) => onChange(e.target.value as ScenarioId)} disabled={disabled}>
        {SCENARIO_IDS.map((id) => (
          <option key={id} value={id}>{SCENARIOS[id].title}</option>
        ))}
      </select>
    </label>
  );
}
