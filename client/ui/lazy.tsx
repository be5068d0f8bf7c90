// A component whose code loads on first use (or on `preload()`), so a page's first screen does not wait for
// the parse of screens it does not show. Loaded, it renders in place like the component it wraps.
import { signal } from '@preact/signals';
import type { ComponentType } from 'preact';
import { Notice } from './notice.tsx';

export type LazyComponent<P> = ComponentType<P> & {
  /** Starts loading (once); resolves when the component can render at once. */
  preload(): Promise<void>;
};

export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
  what: string,
): LazyComponent<P> {
  const loaded = signal<ComponentType<P> | undefined>(undefined);
  const failed = signal(false);
  let loading: Promise<void> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (component) => {
        loaded.value = component;
      },
      () => {
        // A retry asks again (the network may be back).
        loading = undefined;
        failed.value = true;
      },
    ));
  function Lazy(props: P) {
    const Component = loaded.value;
    if (Component) return <Component {...props} />;
    if (failed.value) {
      return (
        <Notice
          tone="error"
          title={`Could not load the ${what}`}
          action={{
            label: 'Retry',
            onClick: () => {
              failed.value = false;
              void preload();
            },
          }}
        />
      );
    }
    void preload();
    return <Notice tone="progress" title={`Loading the ${what}…`} />;
  }
  return Object.assign(Lazy, { preload });
}
