import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/** An action, or a link (View in API) that opens in a new tab. */
export type MenuItem = { label: string; onSelect: () => void } | { label: string; href: string };

/**
 * The WAI-ARIA menu button: a button (aria-haspopup, aria-expanded) that opens a
 * `role="menu"` of `menuitem`s. Enter, Space or ArrowDown open it on the first item,
 * ArrowUp on the last; ArrowUp/ArrowDown move (wrapping), Home/End jump, Escape closes
 * and puts focus back on the button, Tab closes, and so does a click elsewhere.
 * Items are buttons, so `onSelect` also runs from a mouse click.
 */
export function MenuButton({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (open) menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active]?.focus();
  }, [open, active]);
  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', closeOutside);
    return () => document.removeEventListener('mousedown', closeOutside);
  }, [open]);

  function openAt(index: number) {
    setActive(index);
    setOpen(true);
  }
  function close(returnFocus: boolean) {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  }
  function onButtonKey(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openAt(0);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(items.length - 1);
    }
  }
  function onMenuKey(event: KeyboardEvent<HTMLUListElement>) {
    const moves: Record<string, number> = {
      ArrowDown: (active + 1) % items.length,
      ArrowUp: (active - 1 + items.length) % items.length,
      Home: 0,
      End: items.length - 1,
    };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      setActive(next);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') close(false);
  }
  function select(item: MenuItem) {
    close(true);
    if ('onSelect' in item) item.onSelect();
  }
  return (
    <div className="menu">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={onButtonKey}
      >
        {label}
      </button>
      {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: WAI-ARIA's menu button pattern (a list with role=menu, items role=none), checked by axe in the page tests. */}
      <ul ref={menu} id={menuId} role="menu" aria-label={label} hidden={!open} onKeyDown={onMenuKey}>
        {items.map((item, index) => (
          <li key={item.label} role="none">
            {'href' in item ? (
              <a role="menuitem" href={item.href} target="_blank" rel="noreferrer" tabIndex={index === active ? 0 : -1} onClick={() => select(item)}>
                {item.label}
              </a>
            ) : (
              <button type="button" role="menuitem" tabIndex={index === active ? 0 : -1} onClick={() => select(item)}>
                {item.label}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
