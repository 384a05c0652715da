import { forwardRef, type KeyboardEvent } from 'react';
import type { RoundOptionView } from '../../../contract/api';
import { Bar } from '../components/Bar';
import { pct } from '../lib/format';

export interface ChoiceOptionProps {
  option: RoundOptionView;
  checked: boolean;
  disabled: boolean;
  tabIndex: number;
  onPick(label: string): void;
  onKeyDown(event: KeyboardEvent<HTMLButtonElement>): void;
}

/**
 * One blind option: a radio that votes when chosen (click, Space/Return, or its number key). Its whole output
 * shows; its confidence only when the engine sent one (the person asked to see it before voting).
 */
export const ChoiceOption = forwardRef<HTMLButtonElement, ChoiceOptionProps>(function ChoiceOption(
  { option, checked, disabled, tabIndex, onPick, onKeyDown },
  ref,
) {
  return (
    <button
      ref={ref}
      type="button"
      role="radio"
      aria-checked={checked}
      aria-disabled={disabled || undefined}
      aria-keyshortcuts={option.label}
      tabIndex={tabIndex}
      className={`choice-option${checked ? ' choice-option--checked' : ''}`}
      onClick={() => !disabled && onPick(option.label)}
      onKeyDown={onKeyDown}
    >
      <kbd className="keycap">{option.label}</kbd>{' '}
      <span className="choice-option__body">
        <span className="choice-option__output">{option.output}</span>
        {option.pBest !== null ? (
          <span className="choice-option__confidence">
            <span className="choice-option__confidence-label">Confidence</span>
            <Bar
              value={option.pBest}
              label={`Confidence of option ${option.label}`}
              valueText={pct(option.pBest)}
              size="thin"
              role="meter"
            />
            <span className="choice-option__confidence-value tabular">{pct(option.pBest)}</span>
          </span>
        ) : null}
      </span>
    </button>
  );
});
