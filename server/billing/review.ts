// The side-by-side review (Pax8 vs ConnectWise) of every planned write, as the confirm page shows it.
import { type IsoDate, usDate } from './dates.ts';
import { dollars, timesCents, toCents } from './money.ts';
import type { AdditionWrite, ReviewRow, SubscriptionSnapshot } from './plan-types.ts';

const units = (n: number): string => `${n} ${n === 1 ? 'unit' : 'units'}`;
const shownDate = (date: IsoDate | null | undefined): string => (date ? usDate(date) : '');

/** `$40.00 ($20.00 × 2 units)` */
export function formula(unitCents: number, quantity: number): string {
  return `${dollars(timesCents(unitCents, quantity, 'quantity'))} (${dollars(unitCents)} × ${units(quantity)})`;
}

function title(write: AdditionWrite): string {
  const id = write.additionId === undefined ? '' : ` ${String(write.additionId)}`;
  if (write.action === 'cancel')
    return `Cancelling ConnectWise addition${id} from ${shownDate(write.cancelledDate)}`;
  if (write.action === 'none') return `No change to ConnectWise addition${id}`;
  const verb =
    write.action === 'update' ? `Updating ConnectWise addition${id}` : 'Creating new ConnectWise addition';
  if (write.kind === 'prorate') return `${verb}: prorated addition for ${write.invoiceDescription}`;
  if (write.kind === 'usage') return `${verb}: usage addition for ${write.invoiceDescription}`;
  if (write.kind === 'extra') return `${verb}: extra months addition for ${write.invoiceDescription}`;
  if (write.kind === 'period') return `${verb}: period addition for ${write.invoiceDescription}`;
  return `${verb}.`;
}

export function reviewRow(
  write: AdditionWrite,
  subscription: SubscriptionSnapshot,
  connectWiseName: string,
  termLabel: string = subscription.billingTerm,
): ReviewRow {
  const recurring = write.kind === 'recurring';
  // Pax8 bills the partner for a recurring line every month and for a term line once per period (spec §5): its
  // side shows that charge; for prorates, extra months and usage it shows none.
  const pax8Bills = recurring || write.kind === 'period';
  const cost = toCents(write.unitCost, 'unitCost');
  const price = toCents(write.unitPrice, 'unitPrice');
  const paxCost = toCents(subscription.partnerCost, 'subscription.partnerCost');
  const paxPrice = toCents(subscription.price, 'subscription.price');
  const paxQuantity = subscription.quantity;
  const side = (pax8: string, connectWise: string) => ({ pax8, connectWise });
  return {
    key: write.key,
    kind: write.kind,
    action: write.action,
    title: title(write),
    productName: side(subscription.productName, connectWiseName),
    invoiceDescription: side('N/A', write.invoiceDescription),
    term: side(termLabel, recurring ? subscription.billingTerm : 'One-Time'),
    quantity: side(units(paxQuantity), units(write.quantity)),
    unitCost: side(dollars(paxCost), dollars(cost)),
    unitPrice: side(dollars(paxPrice), dollars(price)),
    chargeLabel: recurring ? 'Recurring' : 'Non-Recurring',
    cost: side(
      pax8Bills ? dollars(timesCents(paxCost, paxQuantity, 'quantity')) : dollars(0),
      formula(cost, write.quantity),
    ),
    price: side(
      pax8Bills ? dollars(timesCents(paxPrice, paxQuantity, 'quantity')) : dollars(0),
      formula(price, write.quantity),
    ),
    effectiveDate: side('', shownDate(write.effectiveDate)),
    endDate: side('', shownDate(write.cancelledDate)),
    proratedPeriod: side(
      '',
      write.period ? `${usDate(write.period.start)} - ${usDate(write.period.end)}` : '',
    ),
    billCustomer: side('N/A', write.billCustomer),
    taxable: side('N/A', String(write.taxable)),
  };
}
