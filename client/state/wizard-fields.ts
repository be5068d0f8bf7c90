// The configure form's typed fields in the wizard: what was typed, which fields (and inline forms) hold input
// that cannot be sent, and the recurring line the form shows. A value is sent only once it reads as typed.
import { batch, signal } from '@preact/signals';
import type { Plan, PlanOptions } from './plan-schemas.ts';
import { type Parsed, parseDate, parseMoney, parseQuantity } from './wizard-input.ts';

export type ConfigField = 'effectiveDate' | 'quantity' | 'unitPrice' | 'unitCost';

const readField = (name: ConfigField, text: string): Parsed<string | number> =>
  name === 'quantity'
    ? parseQuantity(text, 'Quantity', 0)
    : name === 'effectiveDate'
      ? parseDate(text, 'Effective date')
      : parseMoney(text, name === 'unitPrice' ? 'Price' : 'Cost');

/** The recurring line the form configures: in create-new mode the new addition, not the old one it cancels. */
export function recurringOf(plan: Plan | undefined): Plan['additions'][number] | undefined {
  const recurring = plan?.additions.filter((a) => a.kind === 'recurring') ?? [];
  // A term billed up front has no recurring line: its period line carries the figures the form shows (spec §5).
  return (
    recurring.find((a) => a.action !== 'cancel') ??
    recurring[0] ??
    plan?.additions.find((a) => a.kind === 'period')
  );
}

/** The text the description field edits: a period line's stem, without its " - Annual term …" suffix. */
export function descriptionStem(line: Plan['additions'][number] | undefined): string {
  if (!line) return '';
  if (line.kind !== 'period') return line.invoiceDescription;
  const cut = line.invoiceDescription.lastIndexOf(' - ');
  return cut > 0 ? line.invoiceDescription.slice(0, cut) : line.invoiceDescription;
}

export function createFieldState(setOptions: (patch: Partial<PlanOptions>) => Promise<void>) {
  /** Fields (and inline forms) holding input that cannot be sent, with the message shown at the field. */
  const invalid = signal<Record<string, string>>({});
  /** What was typed in a configure field that did not read as a value, shown as typed (not the old value). */
  const drafts = signal<Partial<Record<ConfigField, string>>>({});

  const setInvalid = (key: string, message: string | undefined) => {
    const { [key]: _, ...rest } = invalid.peek();
    invalid.value = message === undefined ? rest : { ...rest, [key]: message };
  };

  return {
    invalid,
    drafts,
    setInvalid,
    clear() {
      batch(() => {
        invalid.value = {};
        drafts.value = {};
      });
    },
    /**
     * A configure field as typed: a value that reads exactly re-plans with it; anything else (`abc`, `-5`,
     * `5.999`, `2.5`, a year outside 2000–2099) stays in the field with its message and nothing is sent.
     */
    editField(name: ConfigField, text: string): Promise<void> {
      const parsed = readField(name, text);
      if (!parsed.ok) {
        batch(() => {
          drafts.value = { ...drafts.peek(), [name]: text };
          setInvalid(name, parsed.message);
        });
        return Promise.resolve();
      }
      const { [name]: _, ...rest } = drafts.peek();
      batch(() => {
        drafts.value = rest;
        setInvalid(name, undefined);
      });
      return setOptions({ [name]: parsed.value } as Partial<PlanOptions>);
    },
  };
}
