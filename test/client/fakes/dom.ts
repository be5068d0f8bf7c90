// What the render tests share: a mount point in the document for each test, unmounted after it, and the
// text of an element with its whitespace collapsed.
import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';

/** One element, in document.body during each test of the calling file or block, emptied and removed after. */
export function useMountPoint(): HTMLElement {
  const el = document.createElement('div');
  beforeEach(() => {
    document.body.append(el);
  });
  afterEach(() => {
    render(null, el);
    el.replaceChildren();
    el.remove();
  });
  return el;
}

/** The element's text, whitespace runs as one space, trimmed; '' for no element. */
export const text = (el: Element | null | undefined): string =>
  (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
