// One framed pod or tab, with ConnectWise's side of the protocol attached to its window.
import { useEffect, useRef } from 'preact/hooks';
import type { FrameSpec } from './frames.ts';
import { createHostEndpoint } from './host-endpoint.ts';
import type { HostModel } from './host-model.ts';

let frameCounter = 0;

export function HostedFrame({
  spec,
  model,
  hostedAs,
  record = true,
}: {
  spec: FrameSpec;
  model: HostModel;
  hostedAs: 'pod' | 'tab';
  /** false for a custom menu entry's page: no record in context, so onLoad carries no screenObject. */
  record?: boolean;
}) {
  const ref = useRef<HTMLIFrameElement>(null);

  useEffect(() => {
    const frameId = `${spec.key}-${++frameCounter}`;
    const kind = model.kind.peek();
    const id = model.recordId.peek() ?? 0;
    const endpoint = createHostEndpoint({
      frame: () => ref.current?.contentWindow ?? null,
      self: window,
      podOrigin: spec.origin,
      frameId,
      screenObject: () => (record ? { screen: kind, id, hostedAs } : undefined),
      memberAuthentication: () => model.memberAuthentication(),
      onRefreshScreen: () => model.refresh(),
      onSetDirty: (dirty) => model.setDirty(frameId, dirty),
      onOpenScreen: (screen, target, newTab) => {
        const k = screen.toLowerCase();
        if (k !== 'agreement' && k !== 'company' && k !== 'companyfinance') {
          model.message.value = { tone: 'warn', text: `openScreen: the sandbox has no '${screen}' screen` };
        } else if (newTab) {
          window.open(`${location.pathname}?screen=${k}&id=${target}`, '_blank', 'noopener');
        } else {
          model.select(k, target);
        }
      },
      log: (entry) => model.addLog(entry),
    });
    model.endpoints.set(frameId, endpoint);
    let lastLoads = model.loads.peek();
    const stop = model.loads.subscribe((n) => {
      if (n !== lastLoads) void endpoint.fire('onLoad');
      lastLoads = n;
    });
    return () => {
      stop();
      endpoint.destroy();
      model.endpoints.delete(frameId);
    };
  }, [spec.src, spec.origin, spec.key, hostedAs, record, model]);

  return (
    <iframe
      ref={ref}
      src={spec.src}
      title={`${spec.description} (${hostedAs})`}
      style={{ height: `${spec.height}px` }}
      class={`cw-frame cw-frame-${hostedAs}`}
    />
  );
}
