// A CW-style message box; errors are announced at once (role=alert), progress politely (role=status).
import type { ComponentChildren } from 'preact';

export type NoticeProps = {
  tone?: 'info' | 'progress' | 'ok' | 'warn' | 'error';
  title?: string;
  children?: ComponentChildren;
  action?: { label: string; onClick: () => void };
  /** Not a live region itself: a live region already on the page says the same (one announcement, not two). */
  quiet?: boolean;
};

export function Notice({ tone = 'info', title, children, action, quiet }: NoticeProps) {
  const role = quiet ? undefined : tone === 'error' ? 'alert' : 'status';
  return (
    <div class={`cw-notice ${tone}`} role={role}>
      {title && (
        <p>
          {tone === 'progress' && <span class="cw-spinner" aria-hidden="true" />}
          <strong>{title}</strong>
        </p>
      )}
      {children}
      {action && (
        <button type="button" class="cw-button" onClick={action.onClick}>
          {action.label}
        </button>
      )}
    </div>
  );
}
