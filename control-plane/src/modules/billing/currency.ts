// ISO 4217 currencies as ICU knows them (Node ships full ICU): which codes exist, and how many minor units each has.

let known: Set<string> | undefined;

/** An uppercase ISO 4217 code that ICU knows (e.g. EUR, JPY, KWD). */
export function isCurrency(code: string): boolean {
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return /^[A-Z]{3}$/.test(code) && known.has(code);
}

/** Decimals of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorUnits(code: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2
  );
}
