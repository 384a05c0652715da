import type { PreferencesView } from '../../../contract/api';
import type { NumericFieldSpec } from '../lib/preference-fields';
import { NumericField } from './NumericField';
import { RestoreDefaults } from './RestoreDefaults';

export function FieldsPane({
  title,
  intro,
  fields,
  preferences,
  locked,
}: {
  title: string;
  intro: string;
  fields: NumericFieldSpec[];
  preferences: PreferencesView;
  locked: boolean;
}) {
  return (
    <div className="pane">
      <p className="pane__intro">{intro}</p>
      <section className="group" aria-label={title}>
        {fields.map((spec) => (
          <NumericField key={spec.key} spec={spec} value={preferences[spec.key]} disabled={locked} />
        ))}
      </section>
      <RestoreDefaults disabled={locked} />
    </div>
  );
}
