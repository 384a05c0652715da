import { useId } from 'react';

export interface SwitchProps {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  description?: string;
  disabled?: boolean;
  className?: string;
}

/** A macOS-style switch: a native checkbox with role=switch, so keyboard and screen readers get it for free. */
export function Switch({ label, checked, onChange, description, disabled, className }: SwitchProps) {
  const id = useId();
  return (
    <div className={className ? `switch-row ${className}` : 'switch-row'}>
      <div className="switch-row__text">
        <label htmlFor={id} className="switch-row__label">
          {label}
        </label>
        {description ? (
          <p className="switch-row__description" id={`${id}-d`}>
            {description}
          </p>
        ) : null}
      </div>
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-checked={checked}
        className="switch"
        checked={checked}
        disabled={disabled}
        aria-describedby={description ? `${id}-d` : undefined}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    </div>
  );
}
