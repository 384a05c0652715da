import type { PreferencesView } from '../../../contract/api';
import type { NumericFieldSpec } from '../lib/preference-fields';
import { NumericField } from './NumericField';

export function FieldsPane({ title, intro, fields, preferences }: { title: string; intro: string; fields: NumericFieldSpec[]; preferences: PreferencesView }) {
  return (
    <div className="pane">
      <p className="pane__intro">{intro}</p>
      <section className="group" aria-label={title}>
        {fields.map((spec) => (
          <NumericField key={spec.key} spec={spec} value={preferences[spec.key]} />
        ))}
      </section>
    </div>
  );
}
