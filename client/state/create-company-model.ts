// Create and Bind's state (guide "Import Company"): the form pre-filled from ConnectWise, errors shown in
// place once a field was left or the form sent, the primary contact new or an existing ConnectWise one, and
// one request at a time (the server makes a retry harmless too).
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import { messageOf } from './agreement-model.ts';
import { type Api, ApiError } from './api.ts';
import {
  type CompanyField,
  type CompanyForm,
  type ContactField,
  type ContactForm,
  companyErrors,
  contactErrors,
} from './create-company-rules.ts';
import { type CompanyPrefill, CompanyPrefillSchema, CreateAndBindResultSchema } from './pod-schemas.ts';

export type CreateStatus =
  | { status: 'closed' }
  | { status: 'loading' }
  | { status: 'load-error'; message: string }
  | { status: 'editing' }
  | { status: 'saving' }
  | { status: 'done'; name: string };

export type ContactMode = 'new' | 'existing';
/** 'company.name', 'contact.email', 'contact.cwContactId': the server's detail paths, less the body's nesting. */
export type FieldKey = `company.${CompanyField}` | `contact.${ContactField}` | 'contact.cwContactId';

export type CreateCompanyModel = {
  state: ReadonlySignal<CreateStatus>;
  company: ReadonlySignal<CompanyForm>;
  contact: ReadonlySignal<ContactForm>;
  contactMode: ReadonlySignal<ContactMode>;
  contacts: ReadonlySignal<CompanyPrefill['contacts']>;
  existingContactId: ReadonlySignal<string>;
  /** Errors of the fields left or sent, plus what the server refused. */
  errors: ReadonlySignal<Partial<Record<FieldKey, string>>>;
  /** A refusal that names no field (Pax8 down, already bound…). */
  message: ReadonlySignal<string>;
  open(cwCompanyId: number): Promise<void>;
  close(): void;
  setCompany(field: CompanyField, value: string): void;
  setContact(field: ContactField, value: string): void;
  setContactMode(mode: ContactMode): void;
  setExistingContact(id: string): void;
  /** A field the member left: its error shows from now on. */
  touch(field: FieldKey): void;
  /** True when created (or found) and bound; false when something must be corrected first. */
  submit(): Promise<boolean>;
};

const emptyCompany: CompanyForm = {
  name: '',
  street: '',
  street2: '',
  city: '',
  stateOrProvince: '',
  postalCode: '',
  country: '',
  phone: '',
  website: '',
};
const emptyContact: ContactForm = { firstName: '', lastName: '', email: '', phone: '' };

export function createCreateCompanyModel(deps: { api: Api; onBound: () => Promise<void> | void }) {
  const state = signal<CreateStatus>({ status: 'closed' });
  const company = signal<CompanyForm>(emptyCompany);
  const contact = signal<ContactForm>(emptyContact);
  const contactMode = signal<ContactMode>('new');
  const contacts = signal<CompanyPrefill['contacts']>([]);
  const existingContactId = signal('');
  const touched = signal<ReadonlySet<FieldKey>>(new Set());
  const sent = signal(false);
  const serverErrors = signal<Partial<Record<FieldKey, string>>>({});
  const message = signal('');
  let cwCompanyId = 0;

  const allErrors = computed(() => {
    const out: Partial<Record<FieldKey, string>> = {};
    for (const [k, m] of Object.entries(companyErrors(company.value))) out[`company.${k}` as FieldKey] = m;
    if (contactMode.value === 'new') {
      for (const [k, m] of Object.entries(contactErrors(contact.value))) out[`contact.${k}` as FieldKey] = m;
    } else {
      const chosen = contacts.value.find((c) => String(c.cwContactId) === existingContactId.value);
      if (!chosen) out['contact.cwContactId'] = 'Choose a contact';
      else if (!chosen.email)
        out['contact.cwContactId'] =
          `${chosen.name} has no email in ConnectWise; choose another or create a new contact`;
    }
    return out;
  });
  const errors = computed(() => {
    const shown: Partial<Record<FieldKey, string>> = { ...serverErrors.value };
    for (const [k, m] of Object.entries(allErrors.value)) {
      if (sent.value || touched.value.has(k as FieldKey)) shown[k as FieldKey] = m;
    }
    return shown;
  });
  const clearServer = (key: FieldKey) => {
    if (serverErrors.peek()[key] === undefined) return;
    const { [key]: _, ...rest } = serverErrors.peek();
    serverErrors.value = rest;
  };

  const open = async (id: number) => {
    cwCompanyId = id;
    state.value = { status: 'loading' };
    touched.value = new Set();
    sent.value = false;
    serverErrors.value = {};
    message.value = '';
    try {
      const prefill = await deps.api.get(`/api/bindings/company/${id}/prefill`, CompanyPrefillSchema);
      company.value = prefill.company;
      contacts.value = prefill.contacts;
      contact.value = emptyContact;
      const first = prefill.contacts.find((c) => c.email);
      existingContactId.value = first ? String(first.cwContactId) : '';
      contactMode.value = first ? 'existing' : 'new';
      state.value = { status: 'editing' };
    } catch (err) {
      state.value = {
        status: 'load-error',
        message: messageOf(err, 'The company could not be read from ConnectWise'),
      };
    }
  };

  const submit = async () => {
    if (state.peek().status !== 'editing') return false;
    sent.value = true;
    message.value = '';
    if (Object.keys(allErrors.peek()).length > 0) return false;
    state.value = { status: 'saving' };
    const f = company.peek();
    const c = contact.peek();
    const body = {
      cwCompanyId,
      company: { ...f, ...(f.street2.trim() === '' ? { street2: undefined } : {}) },
      contact:
        contactMode.peek() === 'new'
          ? {
              kind: 'new',
              contact: {
                firstName: c.firstName,
                lastName: c.lastName,
                email: c.email,
                ...(c.phone.trim() ? { phone: c.phone } : {}),
              },
            }
          : { kind: 'existing', cwContactId: Number(existingContactId.peek()) },
    };
    try {
      const result = await deps.api.post('/api/bindings/company/create', body, CreateAndBindResultSchema);
      state.value = { status: 'done', name: result.binding.name };
      await deps.onBound();
      return true;
    } catch (err) {
      state.value = { status: 'editing' };
      const fields = fieldErrorsOf(err);
      serverErrors.value = fields;
      if (Object.keys(fields).length === 0)
        message.value = messageOf(err, 'The company could not be created');
      return false;
    }
  };

  return {
    state,
    company,
    contact,
    contactMode,
    contacts,
    existingContactId,
    errors,
    message,
    open,
    close: () => {
      state.value = { status: 'closed' };
    },
    setCompany: (field: CompanyField, value: string) => {
      company.value = { ...company.peek(), [field]: value };
      clearServer(`company.${field}`);
    },
    setContact: (field: ContactField, value: string) => {
      contact.value = { ...contact.peek(), [field]: value };
      clearServer(`contact.${field}`);
    },
    setContactMode: (mode: ContactMode) => {
      contactMode.value = mode;
    },
    setExistingContact: (id: string) => {
      existingContactId.value = id;
      clearServer('contact.cwContactId');
    },
    touch: (field: FieldKey) => {
      if (!touched.peek().has(field)) touched.value = new Set([...touched.peek(), field]);
    },
    submit,
  } satisfies CreateCompanyModel;
}

/** The server's 400 details ({ path: 'company.postalCode', message }) as field errors; 'contact.contact.x' → 'contact.x'. */
function fieldErrorsOf(err: unknown): Partial<Record<FieldKey, string>> {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return {};
  const out: Partial<Record<FieldKey, string>> = {};
  for (const d of err.details as { path?: unknown; message?: unknown }[]) {
    if (typeof d.path !== 'string' || typeof d.message !== 'string') continue;
    const key = d.path.replace(/^contact\.contact\./, 'contact.') as FieldKey;
    if (/^(company|contact)\./.test(key)) out[key] ??= d.message;
  }
  return out;
}
