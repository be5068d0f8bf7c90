// The pod forms' labelled fields: a caption over one CW-styled control, and reading a submitted form.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

/** How wide the field sits in the form's grid, and whether it is required (a visible `*`). */
type Span = { span?: 'span2' | 'wide' | undefined; required?: boolean | undefined };

/**
 * A caption over any control (e.g. the money input); TextField and SelectField cover the plain ones.
 * A required field's `*` is for the eye only: screen readers hear "required" from the control (an input's
 * `required`, a select's aria-required, as its value is always one of the options), not "star".
 */
export function Field({
  label,
  span,
  required,
  error,
  children,
}: { label: string; children: ComponentChildren; error?: FieldErrorProps | undefined } & Span) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, inside the label
    <label class={span ? `pv-field ${span}` : 'pv-field'}>
      <span>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </span>
      {children}
      {error?.message && <FieldError {...error} />}
    </label>
  );
}

type FieldErrorProps = { id: string; message: string | undefined };

/**
 * The message under a field whose input cannot be sent. Hidden from the label's name (the label would
 * otherwise read it as part of the field's name) and given to the control as its description instead:
 * aria-describedby reads hidden text.
 */
function FieldError({ id, message }: FieldErrorProps) {
  return (
    <span id={id} class="pv-field-error" aria-hidden="true">
      {message}
    </span>
  );
}

/** The attributes that tie a control to its error message: aria-invalid and aria-describedby. */
export function invalidProps(error: FieldErrorProps | undefined, describedBy?: string) {
  const ids = [describedBy, error?.message ? error.id : undefined].filter(Boolean).join(' ');
  return {
    'aria-invalid': error?.message ? ('true' as const) : undefined,
    'aria-describedby': ids || undefined,
  };
}

/** A stable id for a field's error message. */
export function useErrorId(): string {
  return `pv-err-${useId()}`;
}

/** The one-line key to the `*` at the top of a form; visual only, as each required control says so itself. */
export function RequiredLegend() {
  return (
    <p class="pv-note span2" aria-hidden="true">
      * required
    </p>
  );
}

export function TextField({
  label,
  span,
  required,
  error,
  ...input
}: { label: string; error?: string | undefined } & Span &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'class' | 'label' | 'required'>) {
  const id = useErrorId();
  const err = { id, message: error };
  const describedBy = typeof input['aria-describedby'] === 'string' ? input['aria-describedby'] : undefined;
  return (
    <Field label={label} span={span} required={required} error={err}>
      <input class="cw-input" required={required} {...input} {...invalidProps(err, describedBy)} />
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
  required,
}: {
  label: string;
  value: string;
  options: readonly Choice[];
  onChange: (value: string) => void;
  disabled?: boolean | undefined;
} & Span) {
  return (
    <Field label={label} span={span} required={required}>
      <select
        class="cw-input"
        aria-required={required ? 'true' : undefined}
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
