import { useRef, type ReactNode, type RefObject } from 'react';
import { useFocusTrap } from '../hooks/use-focus-trap';

export interface SheetProps {
  title: string;
  text: ReactNode;
  /** The buttons, the default one last (macOS order). */
  children: ReactNode;
  onCancel(): void;
  /** What gets focus when the sheet opens (its default button); the first control otherwise. */
  initialFocus?: RefObject<HTMLElement | null>;
  id: string;
}

/** A modal sheet: focus stays inside while it is open and goes back where it was after; Esc cancels. */
export function Sheet({ title, text, children, onCancel, initialFocus, id }: SheetProps) {
  const ref = useRef<HTMLDivElement | null>(null);
  useFocusTrap(ref, initialFocus);
  return (
    <div className="sheet-backdrop">
      <div
        ref={ref}
        className="sheet"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          }
        }}
      >
        <h2 id={`${id}-title`} className="sheet__title">
          {title}
        </h2>
        <p id={`${id}-text`} className="sheet__text">
          {text}
        </p>
        <div className="sheet__buttons">{children}</div>
      </div>
    </div>
  );
}
