// Price overrides last (spec §7): a price chosen in the wizard is remembered per subscription and is the next
// plan's default; a later change of the default price (binding, else Pax8) is shown beside it, never applied.
import {
  type BillingSnapshot,
  formatCents,
  type PlanOptions,
  type PlanWarning,
  toCents,
} from '../billing/index.ts';

export type PriceChoice = { unitPrice: string; pax8Price: string };

/** The price the plan would use without a choice: the product binding's, else Pax8's. */
export const defaultPrice = (snapshot: BillingSnapshot): string =>
  formatCents(toCents(snapshot.product.price ?? snapshot.subscription.price, 'price'));

/**
 * The options with a remembered price filled in (when the wizard sent none), the warning when the default moved
 * since it was chosen, and what apply should remember: the wizard's explicit price (null: back to the default).
 */
export function withRememberedPrice(
  snapshot: BillingSnapshot,
  options: PlanOptions,
  remembered: PriceChoice | null,
): { options: PlanOptions; warnings: PlanWarning[]; remember: PriceChoice | null | undefined } {
  const current = defaultPrice(snapshot);
  if (options.unitPrice !== undefined) {
    const chosen = formatCents(toCents(options.unitPrice, 'unitPrice'));
    return {
      options,
      warnings: [],
      remember: chosen === current ? null : { unitPrice: chosen, pax8Price: current },
    };
  }
  if (!remembered) return { options, warnings: [], remember: undefined };
  const warnings: PlanWarning[] =
    remembered.pax8Price === current
      ? []
      : [
          {
            code: 'pax8_price_changed',
            message: `The price is now ${current} (it was ${remembered.pax8Price} when ${remembered.unitPrice} was chosen); the chosen ${remembered.unitPrice} is kept. Change the price to use the new one.`,
          },
        ];
  return { options: { ...options, unitPrice: remembered.unitPrice }, warnings, remember: undefined };
}
