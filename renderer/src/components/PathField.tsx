import { useId, useState } from 'react';
import { errorMessage } from '../lib/format';

export interface PathFieldProps {
  label: string;
  placeholder: string;
  /** The button that uses the path, e.g. "Use This File". */
  action: string;
  initial?: string;
  onSubmit(path: string): Promise<unknown>;
  onCancel?(): void;
}

/** Browser mode's stand-in for a native open dialog: type a path; the engine's refusal shows at the field, in words. */
export function PathField({ label, placeholder, action, initial = '', onSubmit, onCancel }: PathFieldProps) {
  const id = useId();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!value.trim()) return setError('Type the full path, e.g. /Users/you/Downloads/model.gguf.');
    setBusy(true);
    setError(null);
    try {
      await onSubmit(value.trim());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className={`path-field${error ? ' path-field--invalid' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="path-field__label" htmlFor={id}>
        {label}
      </label>
      <div className="path-field__row">
        <input
          id={id}
          className="text-field text-field--wide mono"
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          disabled={busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setValue(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && onCancel) {
              e.preventDefault();
              onCancel();
            }
          }}
        />
        <button type="submit" className="button button--small" disabled={busy}>
          {action}
        </button>
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
