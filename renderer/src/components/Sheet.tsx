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

export interface ConfirmSheetProps extends Omit<SheetProps, 'children' | 'initialFocus'> {
  /** The default button's label, which also has focus when the sheet opens. */
  confirmLabel: string;
  onConfirm(): void;
  /** While the confirmed action runs, both buttons are disabled. */
  busy: boolean;
}

/** A sheet that asks before an action: Cancel, then the default button (macOS order), which has focus. */
export function ConfirmSheet({ confirmLabel, onConfirm, busy, ...sheet }: ConfirmSheetProps) {
  const confirm = useRef<HTMLButtonElement | null>(null);
  return (
    <Sheet {...sheet} initialFocus={confirm}>
      <button type="button" className="button" onClick={sheet.onCancel} disabled={busy}>
        Cancel
      </button>
      <button ref={confirm} type="button" className="button button--default" onClick={onConfirm} disabled={busy}>
        {confirmLabel}
      </button>
    </Sheet>
  );
}
