// The sandbox clock as the host page sees it: today's date, moving it forward (+1 day, the 1st of next month,
// a chosen date), and the agreement invoices the emulated ConnectWise ran, read from /sandbox.
import { signal } from '@preact/signals';
import * as v from 'valibot';

const ClockSchema = v.object({ today: v.string() });
const LineSchema = v.object({
  additionId: v.number(),
  description: v.string(),
  quantity: v.number(),
  unitPrice: v.string(),
  amount: v.string(),
});
const InvoiceSchema = v.object({
  date: v.string(),
  periodStart: v.string(),
  periodEnd: v.string(),
  lines: v.array(LineSchema),
  total: v.string(),
});
export type SandboxInvoice = v.InferOutput<typeof InvoiceSchema>;

type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

const shift = (day: string, days: number, months = 0) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = months ? new Date(Date.UTC(y, m - 1 + months, 1)) : new Date(Date.UTC(y, m - 1, d + days));
  return at.toISOString().slice(0, 10);
};
/** The day after `day` (YYYY-MM-DD). */
export const nextDay = (day: string) => shift(day, 1);
/** The 1st of the month after `day`'s. */
export const firstOfNextMonth = (day: string) => shift(day, 0, 1);

async function errorText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `The sandbox answered ${res.status}`;
}

export function createClockModel(fetcher: Fetcher = (i, init) => fetch(i, init), firstToday?: string) {
  const today = signal<string | undefined>(firstToday);
  const busy = signal(false);
  /** The last move's outcome, read out by a live region. */
  const status = signal<{ tone: 'ok' | 'error'; text: string } | undefined>(undefined);
  const invoices = signal<{ agreementId: number; list: SandboxInvoice[] } | undefined>(undefined);
  const invoicesError = signal<string | undefined>(undefined);

  const load = async () => {
    const res = await fetcher('/sandbox/clock');
    if (!res.ok) throw new Error(await errorText(res));
    today.value = v.parse(ClockSchema, await res.json()).today;
  };

  const loadInvoices = async (agreementId: number) => {
    try {
      const res = await fetcher(`/sandbox/cw/_invoices?agreementId=${agreementId}`);
      if (!res.ok) throw new Error(await errorText(res));
      invoices.value = { agreementId, list: v.parse(v.array(InvoiceSchema), await res.json()) };
      invoicesError.value = undefined;
    } catch (err) {
      invoicesError.value = err instanceof Error ? err.message : String(err);
    }
  };

  /** Moves the clock to `day`; true when it moved. */
  const moveTo = async (day: string): Promise<boolean> => {
    busy.value = true;
    try {
      const res = await fetcher('/sandbox/clock', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ today: day }),
      });
      if (!res.ok) {
        status.value = { tone: 'error', text: await errorText(res) };
        return false;
      }
      const body = v.parse(v.object({ today: v.string(), invoices: v.number() }), await res.json());
      today.value = body.today;
      const runs = body.invoices === 1 ? '1 agreement invoice' : `${body.invoices} agreement invoices`;
      status.value = { tone: 'ok', text: `Sandbox date is now ${body.today}: ${runs} run.` };
      return true;
    } catch (err) {
      status.value = { tone: 'error', text: err instanceof Error ? err.message : String(err) };
      return false;
    } finally {
      busy.value = false;
    }
  };

  return { today, busy, status, invoices, invoicesError, load, loadInvoices, moveTo };
}

export type ClockModel = ReturnType<typeof createClockModel>;
