// Bad input to a billing function; `field` names the offending input so a route can answer 400.
export class BillingInputError extends Error {
  override readonly name = 'BillingInputError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
