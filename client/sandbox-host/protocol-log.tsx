// The protocol log: every message between the host page and its frames, collapsed by default.
import type { HostModel } from './host-model.ts';

const arrows = { in: 'pod → CW', out: 'CW → pod', note: 'note' } as const;

export function ProtocolLog({ model }: { model: HostModel }) {
  const entries = model.log.value;
  return (
    <details class="cw-log">
      <summary>Hosted API protocol log ({entries.length})</summary>
      <ol class="cw-log-list" aria-label="Protocol messages">
        {entries.map((e, i) => (
          <li key={i} class={`cw-log-${e.direction}`}>
            <span class="cw-log-frame">{e.frame}</span> <span class="cw-log-dir">{arrows[e.direction]}</span>{' '}
            <code>{e.text}</code>
          </li>
        ))}
      </ol>
    </details>
  );
}
