// Product records of the emulator: the product, its pricing per billing term, commitments and
// provisioning details, built from a short description (cost, price, an optional annual NCE term).
import { uuidFrom } from '../demo/ids.ts';
import type { Commitment, Pricing, ProductDetail, ProvisioningDetail } from './types.ts';

export type ProductInput = {
  id?: string;
  name: string;
  vendorName: string;
  sku: string;
  vendorSku?: string;
  /** Monthly partner cost and suggested retail price per unit. */
  cost: number;
  price: number;
  /** An annual NCE term (requires a commitment). */
  annual?: { cost: number; price: number };
  /** A 3-year NCE term (requires a commitment), monthly-equivalent rates like `annual`. */
  threeYear?: { cost: number; price: number };
  /** Usage-based (billed in arrears): all rates are 0. */
  usage?: boolean;
};

export type ProductRecord = {
  detail: ProductDetail;
  pricing: Pricing[];
  commitments: Commitment[];
  provisioning: ProvisioningDetail[];
  /** Product ids this product requires. */
  requires: string[];
};

function commitment(productId: string, term: string): Commitment {
  return {
    id: uuidFrom(`pax8-commitment:${productId}:${term}`),
    term,
    autoRenew: true,
    renewalWindowDaysBeforeTermEnd: 0,
    renewalWindowDaysAfterTermEnd: 7,
    allowForQuantityIncrease: true,
    allowForQuantityDecrease: false,
    allowForEarlyCancellation: false,
    cancellationFeeApplied: true,
    isTransferable: false,
  };
}

export function buildProduct(input: ProductInput): ProductRecord {
  const id = input.id ?? crypto.randomUUID();
  const microsoft = input.vendorName === 'Microsoft';
  const detail: ProductDetail = {
    id,
    name: input.name,
    vendorName: input.vendorName,
    shortDescription: input.name.split(' - ')[0] ?? input.name,
    sku: input.sku,
    vendorSku: input.vendorSku ?? input.sku,
    altVendorSku: null,
    requiresCommitment: input.annual !== undefined || input.threeYear !== undefined,
    description: `${input.name}. Sold by ${input.vendorName} through Pax8.`,
  };
  const base = {
    productId: id,
    productName: input.name,
    type: 'Flat' as const,
    unitOfMeasurement: input.usage ? 'Each' : 'User',
  };
  const rate = (cost: number, price: number) => ({
    partnerBuyRate: cost,
    suggestedRetailPrice: price,
    startQuantityRange: 1,
    endQuantityRange: null,
    chargeType: 'Per Unit' as const,
  });
  const pricing: Pricing[] = [
    {
      ...base,
      billingTerm: 'Monthly',
      commitmentTerm: input.annual ? '1-Month' : null,
      commitmentTermInMonths: input.annual ? 1 : null,
      rates: [rate(input.cost, input.price)],
    },
  ];
  const commitments: Commitment[] = [];
  if (input.annual) {
    pricing.push({
      ...base,
      billingTerm: 'Annual',
      commitmentTerm: '1-Year',
      commitmentTermInMonths: 12,
      rates: [rate(input.annual.cost, input.annual.price)],
    });
    commitments.push(commitment(id, 'Monthly'), commitment(id, 'Annual'));
  }
  if (input.threeYear) {
    pricing.push({
      ...base,
      billingTerm: '3-Year',
      commitmentTerm: '3-Year',
      commitmentTermInMonths: 36,
      rates: [rate(input.threeYear.cost, input.threeYear.price)],
    });
    commitments.push(commitment(id, '3-Year'));
  }
  const provisioning: ProvisioningDetail[] = microsoft
    ? [
        {
          label: 'Microsoft Domain',
          key: 'msDomain',
          values: [],
          description: 'The onmicrosoft.com domain of the customer tenant',
          valueType: 'Input',
          possibleValues: null,
        },
      ]
    : [];
  return { detail, pricing, commitments, provisioning, requires: [] };
}

/** The commitment term's length in months ('Annual' → 12). */
export function termMonths(term: string): number {
  if (term === 'Monthly') return 1;
  if (term === '2-Year') return 24;
  if (term === '3-Year') return 36;
  return 12;
}
