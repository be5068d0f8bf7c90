// The fields Pax8 requires to create a company (guide "Import Company": the starred ones), checked in place
// as the member types. The server checks the same rules again (server/pax8/company-input.ts) before Pax8
// is called; a refusal it sends back lands on the same fields.

export type CompanyField =
  | 'name'
  | 'street'
  | 'street2'
  | 'city'
  | 'stateOrProvince'
  | 'postalCode'
  | 'country'
  | 'phone'
  | 'website';
export type ContactField = 'firstName' | 'lastName' | 'email' | 'phone';

export type CompanyForm = Record<CompanyField, string>;
export type ContactForm = Record<ContactField, string>;

const need = (label: string) => (v: string) => (v.trim() === '' ? `${label} is required` : undefined);

/** US ZIP (12345 or 12345-6789), Canadian postal codes (A1A 1A1); other countries: 2–10 letters or digits. */
export function postalCodeMessage(country: string, code: string): string | undefined {
  const c = code.trim();
  if (c === '') return 'Zip code is required';
  const country2 = country.trim().toUpperCase();
  if (country2 === 'US' && !/^\d{5}(-\d{4})?$/.test(c)) return 'Zip code must be 5 digits (or 12345-6789)';
  if (country2 === 'CA' && !/^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/.test(c))
    return 'Postal code must look like A1A 1A1';
  if (!/^[A-Za-z0-9 -]{2,10}$/.test(c)) return 'Postal code must be 2 to 10 letters or digits';
  return undefined;
}

export function companyErrors(f: CompanyForm): Partial<Record<CompanyField, string>> {
  const errors: Record<string, string | undefined> = {
    name: need('Name')(f.name),
    street: need('Address 1')(f.street),
    city: need('City')(f.city),
    stateOrProvince: need('State')(f.stateOrProvince),
    postalCode: postalCodeMessage(f.country, f.postalCode),
    country: /^[A-Za-z]{2}$/.test(f.country.trim())
      ? undefined
      : 'Country must be a two-letter code (US, CA, GB…)',
    phone:
      need('Phone')(f.phone) ??
      (/^\+?[\d\s().-]{7,30}$/.test(f.phone.trim())
        ? undefined
        : 'Phone must be digits, at least 7 (spaces, dashes and brackets allowed)'),
    website:
      need('Domain')(f.website) ??
      (/^(https?:\/\/)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?$/i.test(f.website.trim())
        ? undefined
        : 'Domain must look like www.example.com'),
  };
  return Object.fromEntries(Object.entries(errors).filter(([, m]) => m)) as Partial<
    Record<CompanyField, string>
  >;
}

export function contactErrors(f: ContactForm): Partial<Record<ContactField, string>> {
  const errors: Record<string, string | undefined> = {
    firstName: need('First name')(f.firstName),
    lastName: need('Last name')(f.lastName),
    email:
      need('Email')(f.email) ??
      (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim()) ? undefined : 'Email is not valid'),
  };
  return Object.fromEntries(Object.entries(errors).filter(([, m]) => m)) as Partial<
    Record<ContactField, string>
  >;
}
