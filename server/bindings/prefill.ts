// The Create and Bind form as ConnectWise has it (guide "Import Company": "Their company info will already be
// filled out as it is listed in ConnectWise"): the company's address and phone, and its contacts to choose from.
import * as v from 'valibot';
import type { ConnectWiseClient } from '../connectwise/index.ts';
import { AppError } from '../errors.ts';

/** The company fields the form needs; ConnectWise's company is read loosely (every one may be missing). */
const CwCompanyDetailSchema = v.looseObject({
  id: v.number(),
  name: v.string(),
  addressLine1: v.optional(v.nullable(v.string())),
  addressLine2: v.optional(v.nullable(v.string())),
  city: v.optional(v.nullable(v.string())),
  state: v.optional(v.nullable(v.string())),
  zip: v.optional(v.nullable(v.string())),
  country: v.optional(
    v.nullable(
      v.looseObject({
        identifier: v.optional(v.nullable(v.string())),
        name: v.optional(v.nullable(v.string())),
      }),
    ),
  ),
  phoneNumber: v.optional(v.nullable(v.string())),
  website: v.optional(v.nullable(v.string())),
});

/** ConnectWise countries are records named by the MSP; the common ones are mapped to Pax8's ISO codes. */
const COUNTRY_CODES: Record<string, string> = {
  'united states': 'US',
  'united states of america': 'US',
  usa: 'US',
  canada: 'CA',
  'united kingdom': 'GB',
  australia: 'AU',
  'new zealand': 'NZ',
  ireland: 'IE',
};

export function countryCodeOf(
  country: { identifier?: string | null | undefined; name?: string | null | undefined } | null | undefined,
) {
  const id = country?.identifier?.trim().toUpperCase() ?? '';
  if (/^[A-Z]{2}$/.test(id)) return id;
  return COUNTRY_CODES[(country?.name ?? country?.identifier ?? '').trim().toLowerCase()] ?? '';
}

export type PrefillContact = { cwContactId: number; name: string; email: string | null };

export type CompanyPrefill = {
  cwCompanyId: number;
  company: {
    name: string;
    street: string;
    street2: string;
    city: string;
    stateOrProvince: string;
    postalCode: string;
    country: string;
    phone: string;
    website: string;
  };
  contacts: PrefillContact[];
};

type CwReads = Pick<ConnectWiseClient, 'companies' | 'contacts'>;

export function emailOf(contact: {
  communicationItems?:
    | {
        value?: string | null | undefined;
        communicationType?: string | null | undefined;
        defaultFlag?: boolean | null | undefined;
      }[]
    | null
    | undefined;
}): string | null {
  const emails = (contact.communicationItems ?? []).filter((i) => i.communicationType === 'Email' && i.value);
  return (emails.find((i) => i.defaultFlag) ?? emails[0])?.value ?? null;
}

/** The company's active contacts, default contact first. */
export async function cwContactsOf(cw: CwReads, cwCompanyId: number): Promise<PrefillContact[]> {
  const contacts = await cw.contacts.forCompany(cwCompanyId);
  return contacts
    .filter((c) => !c.inactiveFlag)
    .sort((a, b) => Number(b.defaultFlag ?? false) - Number(a.defaultFlag ?? false))
    .map((c) => ({
      cwContactId: c.id,
      name: [c.firstName, c.lastName].filter(Boolean).join(' '),
      email: emailOf(c),
    }));
}

export async function prefillOf(cw: CwReads, cwCompanyId: number): Promise<CompanyPrefill> {
  let raw: unknown;
  try {
    raw = await cw.companies.get(cwCompanyId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found')
      throw new AppError('not_found', `Company ${cwCompanyId} was not found in ConnectWise`, { cause: err });
    throw err;
  }
  const c = v.parse(CwCompanyDetailSchema, raw);
  return {
    cwCompanyId,
    company: {
      name: c.name,
      street: c.addressLine1 ?? '',
      street2: c.addressLine2 ?? '',
      city: c.city ?? '',
      stateOrProvince: c.state ?? '',
      postalCode: c.zip ?? '',
      country: countryCodeOf(c.country),
      phone: c.phoneNumber ?? '',
      website: c.website ?? '',
    },
    contacts: await cwContactsOf(cw, cwCompanyId),
  };
}
