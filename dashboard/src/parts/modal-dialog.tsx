import { useEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

/**
 * A modal dialog on the native `<dialog>` opened with `showModal()`: the rest of the
 * page is inert, Escape calls `onEscape` (ignored without one: the one-time secret
 * closes only by its Done button), Tab and Shift+Tab cycle through the
 * dialog's own controls only (the focus trap: Chromium would otherwise leave the
 * dialog for the browser's own UI), the first control (or one marked
 * `data-initial-focus`) gets focus, and on closing focus returns to what had it before,
 * or to `returnFocus` when that is gone (the form whose button opened it closed).
 */
export function ModalDialog({
  title,
  titleId,
  describedBy,
  onEscape,
  returnFocus,
  children,
  role = 'dialog',
}: {
  title: string;
  titleId: string;
  describedBy?: string;
  onEscape?: () => void;
  returnFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
  role?: 'dialog' | 'alertdialog';
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: opens once on mount and closes on unmount; returnFocus is read when it closes.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    // The body means the control that opened it is already gone (its form closed as it opened).
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    element.showModal();
    (element.querySelector<HTMLElement>('[data-initial-focus]') ?? focusable(element)[0])?.focus();
    return () => {
      element.close();
      // The opener may be gone (a form that closed, a deleted row's menu).
      (opener?.isConnected ? opener : returnFocus?.current)?.focus();
    };
  }, []);
  function trap(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab' || !dialog.current) return;
    const controls = focusable(dialog.current);
    const [first, last] = [controls[0], controls.at(-1)];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
  return (
    <dialog
      ref={dialog}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      className="dialog"
      onKeyDown={trap}
      onCancel={(event) => {
        // Escape: the page decides (the dialog stays open until it is unmounted).
        event.preventDefault();
        onEscape?.();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

const focusableSelector =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusable(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(focusableSelector)];
}
