import type { SVGProps } from 'react';

export type IconName =
  | 'arrow-up'
  | 'arrow-down'
  | 'arrow-flat'
  | 'arrow-right'
  | 'warning'
  | 'check'
  | 'gear'
  | 'sliders'
  | 'ab'
  | 'chip'
  | 'clock'
  | 'refresh'
  | 'folder'
  | 'magnifier'
  | 'document'
  | 'photo'
  | 'pause'
  | 'play'
  | 'undo'
  | 'sparkles'
  | 'xmark'
  | 'download'
  | 'lock'
  | 'people';

// Small stroked glyphs drawn after SF Symbols (a 16-point grid, round caps); currentColor so CSS decides their colour.
const PATHS: Record<IconName, string> = {
  'arrow-up': 'M8 13V3M4 7l4-4 4 4',
  'arrow-down': 'M8 3v10M4 9l4 4 4-4',
  'arrow-flat': 'M3 8h10M9 4l4 4-4 4',
  'arrow-right': 'M3 8h9.5M9 4.5 12.5 8 9 11.5',
  warning: 'M8 2.5 14.5 13.5h-13zM8 6.5v3.2M8 11.6v.1',
  check: 'M3.5 8.5l3 3 6-7',
  // gearshape: a toothed wheel round a hub, so it reads as settings, not as a sun.
  gear: 'M6.9 1.8h2.2l.4 1.7 1.2.5 1.5-.9 1.6 1.6-.9 1.5.5 1.2 1.7.4v2.2l-1.7.4-.5 1.2.9 1.5-1.6 1.6-1.5-.9-1.2.5-.4 1.7H6.9l-.4-1.7-1.2-.5-1.5.9-1.6-1.6.9-1.5-.5-1.2-1.7-.4V6.9l1.7-.4.5-1.2-.9-1.5 1.6-1.6 1.5.9 1.2-.5zM8 5.9a2.1 2.1 0 1 0 0 4.2 2.1 2.1 0 0 0 0-4.2z',
  sliders: 'M2.5 4.5h6M11.5 4.5h2M2.5 11.5h2M7.5 11.5h6M10 3v3M6 10v3',
  ab: 'M2 13 4.8 3h.4L8 13M3 10h4M9.5 3v10h2.3a2.4 2.4 0 0 0 0-4.8H9.5M9.5 3h2a2.2 2.2 0 0 1 0 4.4',
  chip: 'M4.5 4.5h7v7h-7zM6.5 2v2.5M9.5 2v2.5M6.5 11.5V14M9.5 11.5V14M2 6.5h2.5M2 9.5h2.5M11.5 6.5H14M11.5 9.5H14',
  clock: 'M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM8 4.5V8l2.5 1.5',
  refresh: 'M13 4.5v3h-3M13 7.5A5 5 0 1 0 12 11',
  folder: 'M1.8 4.2c0-.6.5-1.1 1.1-1.1h3l1.4 1.5h5.8c.6 0 1.1.5 1.1 1.1v6.4c0 .6-.5 1.1-1.1 1.1H2.9c-.6 0-1.1-.5-1.1-1.1z',
  magnifier: 'M7 2.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zM10.3 10.3 13.5 13.5',
  document: 'M4 1.8h5l3 3v9.4H4zM9 1.8v3h3M6 8h4M6 10.5h4',
  photo: 'M2 3.5h12v9H2zM2 10.5l3.5-3.5 3 3 2-2 3.5 3.5M10.5 6.2h.1',
  pause: 'M5.5 3.5v9M10.5 3.5v9',
  play: 'M5 3.2v9.6L12.5 8z',
  undo: 'M5.5 3.5 2.5 6.5l3 3M2.5 6.5h7a4 4 0 0 1 0 8H7',
  sparkles: 'M7 2.5l1.2 3.3 3.3 1.2-3.3 1.2L7 11.5 5.8 8.2 2.5 7l3.3-1.2zM12 10l.6 1.4 1.4.6-1.4.6L12 14l-.6-1.4L10 12l1.4-.6z',
  xmark: 'M4 4l8 8M12 4l-8 8',
  download: 'M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10',
  lock: 'M4 7.5h8v6H4zM5.5 7.5V5.5a2.5 2.5 0 0 1 5 0v2',
  people: 'M6 3a2.1 2.1 0 1 0 0 4.2A2.1 2.1 0 0 0 6 3zM1.8 13.2a4.2 4.2 0 0 1 8.4 0M10.6 3.3a2 2 0 0 1 0 3.7M12 9.4a4 4 0 0 1 2.2 3.8',
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
