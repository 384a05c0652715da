import { useId, useState } from 'react';
import { useApi } from '../api/api-context';
import { errorMessage } from '../lib/format';
import { formatField, parseField, type NumericFieldSpec } from '../lib/preference-fields';
import { useAppStore } from '../stores/use-app-store';

/** A number preference: edited freely, sent on blur or Return; a value the engine cannot use is explained at the field, in words. */
export function NumericField({ spec, value, disabled = false }: { spec: NumericFieldSpec; value: number; disabled?: boolean }) {
  const api = useApi();
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const shown = draft ?? formatField(spec, value);

  const commit = async () => {
    if (draft === null || saving) return;
    const parsed = parseField(spec, draft);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    if (parsed.value === value) {
      setDraft(null);
      setError(null);
      return;
    }
    setSaving(true);
    try {
      useAppStore.getState().receivePreferences(await api.setPreference(spec.key, parsed.value));
      setDraft(null);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={`form-row${error ? ' form-row--invalid' : ''}`}>
      <label className="form-row__label" htmlFor={id}>
        {spec.label}
      </label>
      <div className="form-row__control">
        <div className="field-line">
          <input
            id={id}
            className="text-field text-field--number tabular"
            type="text"
            inputMode="decimal"
            value={shown}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-help`}
            disabled={saving || disabled}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onBlur={() => void commit()}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void commit();
              if (e.key === 'Escape' && draft !== null) {
                e.preventDefault();
                e.stopPropagation();
                setDraft(null);
                setError(null);
              }
            }}
          />
          <span className="field-line__unit">{spec.unit}</span>
        </div>
        {error ? (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : (
          <p className="field-help" id={`${id}-help`}>
            {spec.help}
          </p>
        )}
      </div>
    </div>
  );
}
