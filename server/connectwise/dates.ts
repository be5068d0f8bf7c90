// ConnectWise dates are UTC `yyyy-MM-ddTHH:mm:ssZ`; our billing rules use calendar dates `YYYY-MM-DD`.

const calendarDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const cwDateTime = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function isRealDate(ymd: string): boolean {
  const m = calendarDate.exec(ymd);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** '2020-10-01' → '2020-10-01T00:00:00Z'. Throws on anything that is not a real calendar date. */
export function toCwDate(date: string): string {
  if (!isRealDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return `${date}T00:00:00Z`;
}

/** '2020-10-01T00:00:00Z' → '2020-10-01' (the UTC date, which is how ConnectWise stores billing dates). */
export function fromCwDate(value: string): string {
  const m = cwDateTime.exec(value);
  const day = m?.[1];
  if (day === undefined || !isRealDate(day)) {
    throw new RangeError(`Not a ConnectWise date (yyyy-MM-ddTHH:mm:ssZ): ${JSON.stringify(value)}`);
  }
  return day;
}
