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

/** One blind option: a radio that votes when chosen (click, Space/Enter, or its number key). */
export const ChoiceOption = forwardRef<HTMLButtonElement, ChoiceOptionProps>(function ChoiceOption(
  { option, checked, disabled, tabIndex, onPick, onKeyDown },
  ref,
) {
  const confidence = pct(option.pBest);
  return (
    <button
      ref={ref}
      type="button"
      role="radio"
      aria-checked={checked}
      aria-label={`Option ${option.label}: ${option.output}`}
      aria-describedby={`confidence-${option.label}`}
      aria-disabled={disabled || undefined}
      tabIndex={tabIndex}
      className={`choice-option${checked ? ' choice-option--checked' : ''}`}
      onClick={() => !disabled && onPick(option.label)}
      onKeyDown={onKeyDown}
    >
      <kbd className="keycap" aria-hidden="true">{option.label}</kbd>
      <span className="choice-option__body">
        <span className="choice-option__output">{option.output}</span>
        <span className="choice-option__confidence" id={`confidence-${option.label}`}>
          <span className="choice-option__confidence-label">Confidence</span>
          <Bar value={option.pBest} label={`Option ${option.label} confidence`} valueText={confidence} size="thin" role="meter" tone="accent" />
          <span className="choice-option__confidence-value tabular">{confidence}</span>
        </span>
      </span>
    </button>
  );
});
