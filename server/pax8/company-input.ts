// What Pax8 needs to create a company (guide "Import Company": the starred fields, and a primary contact that
// receives order confirmations). One schema for the pod's form, the route and the client, so a field the
// form accepts is a field Pax8 accepts.
import * as v from 'valibot';

const required = (label: string, max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, `${label} is required`),
    v.maxLength(max, `${label} is too long`),
  );

/** US ZIP (12345 or 12345-6789) and Canadian postal codes (A1A 1A1); other countries: any 2–10 characters. */
export function postalCodeProblem(country: string, postalCode: string): string | undefined {
  if (country === 'US' && !/^\d{5}(-\d{4})?$/.test(postalCode))
    return 'Zip code must be 5 digits (or 12345-6789)';
  if (country === 'CA' && !/^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/.test(postalCode))
    return 'Postal code must look like A1A 1A1';
  if (!/^[A-Za-z0-9 -]{2,10}$/.test(postalCode)) return 'Postal code must be 2 to 10 letters or digits';
  return undefined;
}

export const NewContactSchema = v.object({
  firstName: required('First name', 50),
  lastName: required('Last name', 50),
  email: v.pipe(v.string(), v.trim(), v.minLength(1, 'Email is required'), v.email('Email is not valid')),
  phone: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(30, 'Phone is too long'))),
});
export type NewContact = v.InferOutput<typeof NewContactSchema>;

export const NewCompanySchema = v.pipe(
  v.object({
    name: required('Name', 100),
    street: required('Address 1', 100),
    street2: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, 'Address 2 is too long'))),
    city: required('City', 50),
    stateOrProvince: required('State', 50),
    postalCode: required('Zip code', 10),
    country: v.pipe(
      v.string(),
      v.trim(),
      v.toUpperCase(),
      v.regex(/^[A-Z]{2}$/, 'Country must be a two-letter code (US, CA, GB…)'),
    ),
    phone: v.pipe(
      required('Phone', 30),
      v.regex(
        /^\+?[\d\s().-]{7,30}$/,
        'Phone must be digits, at least 7 (spaces, dashes and brackets allowed)',
      ),
    ),
    website: v.pipe(
      required('Domain', 255),
      v.regex(/^(https?:\/\/)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?$/i, 'Domain must look like www.example.com'),
    ),
  }),
  v.forward(
    v.check(
      (c) => postalCodeProblem(c.country, c.postalCode) === undefined,
      // The same words the pod shows in place (client/state/create-company-rules.ts).
      (issue) => {
        const c = issue.input as { country: string; postalCode: string };
        return postalCodeProblem(c.country, c.postalCode) ?? 'Postal code is not valid';
      },
    ),
    ['postalCode'],
  ),
);
export type NewCompany = v.InferOutput<typeof NewCompanySchema>;

/** Pax8's POST /companies body: the company with its primary contact, and the ConnectWise id as externalId. */
export type CreateCompanyBody = {
  name: string;
  address: {
    street: string;
    street2: string | null;
    city: string;
    stateOrProvince: string;
    postalCode: string;
    country: string;
  };
  phone: string;
  website: string;
  externalId: string;
  contacts: (NewContact & { types: { type: 'Admin' | 'Billing' | 'Technical'; primary: boolean }[] })[];
};

export function createCompanyBody(
  company: NewCompany,
  contact: NewContact,
  externalId: string,
): CreateCompanyBody {
  return {
    name: company.name,
    address: {
      street: company.street,
      street2: company.street2 || null,
      city: company.city,
      stateOrProvince: company.stateOrProvince,
      postalCode: company.postalCode,
      country: company.country,
    },
    phone: company.phone,
    website: company.website,
    externalId,
    contacts: [
      {
        ...contact,
        types: [
          { type: 'Admin', primary: true },
          { type: 'Billing', primary: true },
          { type: 'Technical', primary: true },
        ],
      },
    ],
  };
}
