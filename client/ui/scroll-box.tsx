// A box that scrolls sideways when its table is wider than the pod; focusable so keyboard users can scroll it.
import type { ComponentChildren } from 'preact';

export function ScrollBox({
  label,
  wide,
  children,
}: {
  label: string;
  wide?: boolean;
  children: ComponentChildren;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard (WCAG 2.1.1)
    <section class={`pv-scroll${wide ? ' wide' : ''}`} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
