import { useId } from 'react';
import glyph from '../../../assets/dino-glyph.json';

// The app icon's 16×16 T. rex (the pixels scripts/make-icons.mjs draws), white on the icon's green.
const DINO: string[] = glyph.rows;

// One horizontal run of ink per path segment.
const DINO_PATH = DINO.flatMap((row, y) => [...row.matchAll(/#+/g)].map((m) => `M${m.index} ${y}h${m[0].length}v1h-${m[0].length}z`)).join(
  '',
);

export function AppGlyph({ size = 'regular' }: { size?: 'regular' | 'small' }) {
  const id = useId();
  return (
    <svg className={`app-glyph app-glyph--${size}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={`${id}g`} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#34a862" />
          <stop offset="1" stopColor="#22784a" />
        </linearGradient>
      </defs>
      <rect x="0" y="0" width="24" height="24" rx="5.5" fill={`url(#${id}g)`} />
      <path d={DINO_PATH} fill="#fff" transform="translate(4.5 4.2) scale(0.95)" shapeRendering="crispEdges" />
    </svg>
  );
}
