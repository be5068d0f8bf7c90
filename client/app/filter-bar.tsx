// The filter line above a list: labelled choices, a search box, and how many rows pass.
import type { ComponentChildren } from 'preact';

export function FilterBar({ shown, children }: { shown: string; children: ComponentChildren }) {
  return (
    <div class="app-filters">
      {children}
      <span class="app-muted">{shown}</span>
    </div>
  );
}

export function FilterSelect<V extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  /** [value, text] per option, in order. */
  options: readonly (readonly [V, string])[];
  onChange: (value: V) => void;
}) {
  return (
    <label>
      {label}{' '}
      <select class="app-select" value={value} onChange={(e) => onChange(e.currentTarget.value as V)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FindBox({
  value,
  placeholder,
  onInput,
}: {
  value: string;
  placeholder: string;
  onInput: (text: string) => void;
}) {
  return (
    <label>
      Find{' '}
      <input
        type="search"
        class="app-input"
        value={value}
        placeholder={placeholder}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </label>
  );
}
