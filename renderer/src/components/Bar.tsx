export interface BarProps {
  /** 0–1. */
  value: number;
  label: string;
  /** Text for assistive technology, e.g. "67%" or "Generation 12 of 30". */
  valueText?: string;
  tone?: 'accent' | 'muted' | 'good';
  size?: 'thin' | 'regular';
  /** progressbar for work under way, meter for a measure such as P(best). */
  role?: 'progressbar' | 'meter';
}

const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

export function Bar({ value, label, valueText, tone = 'accent', size = 'regular', role = 'progressbar' }: BarProps) {
  const v = clamp(value);
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: role is progressbar or meter, both take the aria-value* props
    <div
      className={`bar bar--${tone} bar--${size}`}
      role={role}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(v * 100)}
      aria-valuetext={valueText}
    >
      {/* Width through the CSSOM, which the page's CSP (no inline styles) allows. */}
      <span className="bar__fill" style={{ width: `${v * 100}%` }} />
    </div>
  );
}
