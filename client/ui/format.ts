// Display helpers shared by the pod and the app page: US dates and dollar amounts, as ConnectWise shows them.

/** '2020-10-01' → '10/01/2020'; anything else is shown as given. */
export function usDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[2]}/${m[3]}/${m[1]}` : iso;
}

/** 25 or '25' → '$25.00', 1504.8 → '$1,504.80'; a value that is not a number is shown as given. */
export function dollars(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const [whole = '0', fraction = '00'] = Math.abs(n).toFixed(2).split('.');
  // The sign of what is shown: an amount that rounds to zero is "$0.00", never "-$0.00".
  const sign = n < 0 && `${whole}${fraction}` !== '000' ? '-' : '';
  return `${sign}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** 25 or '25' → '25.00'. */
export function amount(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(2) : String(value);
}
