// The record part of a CW screen: a picker for any agreement or company of the demo data, and its fields.
import { Fragment } from 'preact';
import type { HostModel } from './host-model.ts';

const date = (s: string | null | undefined) => (s ? s.slice(0, 10) : '');

function Fields({ rows }: { rows: [string, string | number | undefined | null][] }) {
  return (
    <dl class="cw-fields cw-record-fields">
      {rows.map(([label, value]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd>{value ?? ''}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function RecordPicker({ model }: { model: HostModel }) {
  const kind = model.kind.value;
  const onChange = (e: Event) => model.select(kind, Number((e.target as HTMLSelectElement).value));
  return (
    <label class="cw-picker">
      {kind === 'agreement' ? 'Agreement' : 'Company'}{' '}
      <select value={String(model.recordId.value ?? '')} onChange={onChange}>
        {kind === 'agreement'
          ? model.agreements.value.map((a) => (
              <option key={a.id} value={a.id}>
                #{a.id} {a.name} — {a.company?.name ?? ''} ({a.agreementStatus ?? ''})
              </option>
            ))
          : model.companies.value.map((c) => (
              <option key={c.id} value={c.id}>
                #{c.id} {c.name}
              </option>
            ))}
      </select>
    </label>
  );
}

export function RecordFields({ model }: { model: HostModel }) {
  const kind = model.kind.value;
  if (kind === 'agreement') {
    const a = model.agreement.value;
    if (!a) return <p>No agreement selected.</p>;
    return (
      <Fields
        rows={[
          ['Agreement', a.name],
          ['Company', a.company?.name],
          ['Contact', a.contact?.name],
          ['Type', a.type?.name],
          ['Status', a.agreementStatus],
          ['Start date', date(a.startDate)],
          ['End date', date(a.endDate) || 'No ending date'],
          ['Billing cycle', a.billingCycle?.name],
          ['Next invoice', date(a.nextInvoiceDate)],
        ]}
      />
    );
  }
  const c = model.company.value;
  if (!c) return <p>No company selected.</p>;
  return (
    <Fields
      rows={
        kind === 'company'
          ? [
              ['Company ID', c.identifier],
              ['Company name', c.name],
              ['Status', c.status?.name],
              ['Address', c.addressLine1],
              ['City', c.city],
              ['State', c.state],
              ['Zip', c.zip],
              ['Phone', c.phoneNumber],
              ['Website', c.website],
            ]
          : [
              ['Company', c.name],
              ['Billing terms', 'Net 30'],
              ['Tax code', 'Default'],
              ['Invoice delivery', 'Email'],
            ]
      }
    />
  );
}
