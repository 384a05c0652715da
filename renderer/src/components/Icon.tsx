import type { SVGProps } from 'react';

export type IconName =
  | 'arrow-up' | 'arrow-down' | 'arrow-flat' | 'warning' | 'tip' | 'check' | 'gear' | 'sliders' | 'ab'
  | 'chip' | 'clock' | 'refresh';

// Small stroked glyphs in the spirit of SF Symbols; currentColor so CSS decides their colour.
const PATHS: Record<IconName, string> = {
  'arrow-up': 'M8 13V3M4 7l4-4 4 4',
  'arrow-down': 'M8 3v10M4 9l4 4 4-4',
  'arrow-flat': 'M3 8h10M9 4l4 4-4 4',
  warning: 'M8 2.5 14.5 13.5h-13zM8 6.5v3.2M8 11.6v.1',
  tip: 'M6 12.5h4M6.5 14.5h3M8 1.8a4.2 4.2 0 0 0-2.6 7.5c.5.4.8 1 .8 1.7h3.6c0-.7.3-1.3.8-1.7A4.2 4.2 0 0 0 8 1.8z',
  check: 'M3.5 8.5l3 3 6-7',
  gear: 'M8 5.6a2.4 2.4 0 1 0 0 4.8 2.4 2.4 0 0 0 0-4.8zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
  sliders: 'M2.5 4.5h6M11.5 4.5h2M2.5 11.5h2M7.5 11.5h6M10 3v3M6 10v3',
  ab: 'M2 13 4.8 3h.4L8 13M3 10h4M9.5 3v10h2.3a2.4 2.4 0 0 0 0-4.8H9.5M9.5 3h2a2.2 2.2 0 0 1 0 4.4',
  chip: 'M4.5 4.5h7v7h-7zM6.5 2v2.5M9.5 2v2.5M6.5 11.5V14M9.5 11.5V14M2 6.5h2.5M2 9.5h2.5M11.5 6.5H14M11.5 9.5H14',
  clock: 'M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM8 4.5V8l2.5 1.5',
  refresh: 'M13 4.5v3h-3M13 7.5A5 5 0 1 0 12 11',
};

export function Icon({ name, className, ...rest }: { name: IconName } & SVGProps<SVGSVGElement>) {
  return (
    <svg
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className={className ? `icon ${className}` : 'icon'}
      {...rest}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
