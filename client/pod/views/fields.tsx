// The pod forms' labelled fields: a caption over one CW-styled control, and reading a submitted form.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';

/** How wide the field sits in the form's grid. */
type Span = { span?: 'span2' | 'wide' | undefined };

/** A caption over any control (e.g. the money input); TextField and SelectField cover the plain ones. */
export function Field({ label, span, children }: { label: string; children: ComponentChildren } & Span) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, inside the label
    <label class={span ? `pv-field ${span}` : 'pv-field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

export function TextField({
  label,
  span,
  ...input
}: { label: string } & Span & Omit<InputHTMLAttributes<HTMLInputElement>, 'class' | 'label'>) {
  return (
    <Field label={label} span={span}>
      <input class="cw-input" {...input} />
    </Field>
  );
}

/** An option whose value is its text, or [value, text]. */
export type Choice = string | readonly [string, string];

export function SelectField({
  label,
  span,
  value,
  options,
  onChange,
  disabled,
}: {
  label: string;
  value: string;
  options: readonly Choice[];
  onChange: (value: string) => void;
  disabled?: boolean | undefined;
} & Span) {
  return (
    <Field label={label} span={span}>
      <select
        class="cw-input"
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        disabled={disabled}
      >
        {options.map((o) => {
          const [v, text] = typeof o === 'string' ? [o, o] : o;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </select>
    </Field>
  );
}

/** A submitted form's field as trimmed text ('' when absent). */
export function formText(form: HTMLFormElement): (name: string) => string {
  const data = new FormData(form);
  return (name) => String(data.get(name) ?? '').trim();
}
