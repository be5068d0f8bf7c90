// A lazily loaded component (the pod's wizard and seat form): a progress notice until its code arrives, then
// the component in place with its props; a failed load says so and Retry asks again.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { lazyComponent } from '../../client/ui/lazy.tsx';
import { text, useMountPoint } from './fakes/dom.ts';
import { flush } from './pod-fakes.ts';

const root = useMountPoint();
const Greeting = ({ name }: { name: string }) => <p class="hi">Hello {name}</p>;

/** A load the test settles by hand. */
function deferredLoad() {
  const calls: { resolve: (c: typeof Greeting) => void; reject: (e: Error) => void }[] = [];
  const load = () =>
    new Promise<typeof Greeting>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { load, calls };
}

describe('lazyComponent', () => {
  it('shows a progress notice, then the component with its props; loads once', async () => {
    const { load, calls } = deferredLoad();
    const Lazy = lazyComponent(load, 'greeting');
    render(<Lazy name="Ada" />, root);
    expect(root.querySelector('[role="status"]')?.textContent).toBe('Loading the greeting…');
    render(<Lazy name="Ada" />, root);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(Greeting);
    await flush();
    expect(text(root)).toBe('Hello Ada');
    expect(root.querySelector('[role="status"]')).toBeNull();
  });

  it('renders at once after preload', async () => {
    const Lazy = lazyComponent(async () => Greeting, 'greeting');
    await Lazy.preload();
    render(<Lazy name="Grace" />, root);
    expect(text(root)).toBe('Hello Grace');
  });

  it('says a failed load and asks again on Retry', async () => {
    const { load, calls } = deferredLoad();
    const Lazy = lazyComponent(load, 'greeting');
    render(<Lazy name="Ada" />, root);
    calls[0]!.reject(new Error('offline'));
    await flush();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Could not load the greeting');
    root.querySelector('button')!.click();
    await flush();
    expect(calls).toHaveLength(2);
    expect(root.querySelector('[role="status"]')?.textContent).toBe('Loading the greeting…');
    calls[1]!.resolve(Greeting);
    await flush();
    expect(text(root)).toBe('Hello Ada');
  });
});
