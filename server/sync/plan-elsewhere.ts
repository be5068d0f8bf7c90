// One subscription, one addition (spec §7): a plan on an agreement is refused while another active agreement
// of the same company still bills the subscription through a recurring addition carrying its marker. The
// user cancels one (the views offer it: `double_billed`, cancel_addition) or syncs on the agreement that bills.
// Costs one CW call for the company's agreements and one page of additions per other active agreement.
import { firstUninvoicedDate } from '../billing/plan.ts';
import { AppError } from '../errors.ts';
import type { SyncAgreement, SyncUpstream } from './ports.ts';

export async function refuseIfBilledElsewhere(
  upstream: Pick<SyncUpstream, 'companyAgreements' | 'listAdditions'>,
  agreement: SyncAgreement,
  subscriptionId: string,
  today: string,
): Promise<void> {
  const others = (await upstream.companyAgreements(agreement.company.id)).filter(
    (a) => a.id !== agreement.id && a.status === 'Active',
  );
  const lists = await Promise.all(others.map((a) => upstream.listAdditions(a.id)));
  for (const [i, additions] of lists.entries()) {
    const other = others[i] as SyncAgreement;
    const from = firstUninvoicedDate(today, other.nextInvoiceDate ?? undefined);
    const billing = additions.find(
      (a) =>
        a.marker?.subscriptionId === subscriptionId &&
        a.marker.kind === 'recurring' &&
        (a.cancelledDate === null || a.cancelledDate >= from),
    );
    if (billing) {
      throw new AppError(
        'billed_on_other_agreement',
        `This subscription is already billed on agreement "${other.name}" (#${other.id}, addition ${billing.id}). Sync it there, or cancel that addition first: one subscription, one addition.`,
        { details: { agreementId: other.id, additionId: billing.id } },
      );
    }
  }
}
