/**
 * Go's `time.Duration` as Kubernetes objects carry it (`metav1.Duration`): a string such
 * as `10m0s` or `1h30m`. Rancher's types hold timeouts that way, so /v1 reads and writes
 * them in Go's grammar and in Go's canonical spelling, in exact nanoseconds (a bigint,
 * as Go's int64; a JavaScript number would lose them beyond about 104 days).
 */

const nanosecondsPer = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 MICRO SIGN, the one Go writes
  ['μs', 1_000n], // U+03BC GREEK SMALL LETTER MU, which Go reads too
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const second = 1_000_000_000n;
const maxNanoseconds = 2n ** 63n - 1n;

/** One `<number><unit>` of a duration: digits, maybe a fraction, then a unit. */
const component = /([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/y;

/**
 * Nanoseconds of a duration in Go's grammar (`time.ParseDuration`): an optional sign,
 * then numbers each with a unit (`1h30m`, `1.5s`, `.5h`, `300ms`); `0` alone needs
 * none. Undefined for anything Go refuses, including a value beyond its int64.
 */
export function parseGoDuration(text: string): bigint | undefined {
  const sign = text[0] === '-' || text[0] === '+' ? text[0] : '';
  const rest = text.slice(sign.length);
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  component.lastIndex = 0;
  while (component.lastIndex < rest.length) {
    const match = component.exec(rest);
    if (!match) return undefined;
    const [, whole = '', fraction, unit = ''] = match;
    const perUnit = nanosecondsPer.get(unit);
    // Go wants digits before or after the point, and a unit it knows after them.
    if ((whole === '' && !fraction) || perUnit === undefined) return undefined;
    total += BigInt(whole || '0') * perUnit;
    // Go drops what is finer than a nanosecond.
    if (fraction) total += (BigInt(fraction) * perUnit) / 10n ** BigInt(fraction.length);
    if (total > maxNanoseconds + (sign === '-' ? 1n : 0n)) return undefined;
  }
  return sign === '-' ? -total : total;
}

/**
 * Go's spelling of a duration (`Duration.String`), which a Kubernetes object shows:
 * `0s`, `1h0m0s`, `2m30s`, `1.5s`; below a second in the largest unit that keeps it
 * at least one (`500ms`, `1.5µs`, `20ns`).
 */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const size = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  const sign = nanoseconds < 0n ? '-' : '';
  if (size < 1_000n) return `${sign}${size}ns`;
  if (size < 1_000_000n) return `${sign}${decimal(size, 3)}µs`;
  if (size < second) return `${sign}${decimal(size, 6)}ms`;
  const seconds = decimal(size % 60_000_000_000n, 9);
  const minutes = (size / 60_000_000_000n) % 60n;
  const hours = size / 3_600_000_000_000n;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** Nanoseconds of a whole number of seconds. */
export const secondsToNanoseconds = (seconds: number): bigint => BigInt(seconds) * second;

/** Whole seconds of a duration; undefined when it has a fraction of one. */
export function wholeSeconds(nanoseconds: bigint): bigint | undefined {
  return nanoseconds % second === 0n ? nanoseconds / second : undefined;
}

/** `value / 10^digits` in decimal, without trailing zeros (`1500, 3` → `1.5`). */
function decimal(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = value % scale;
  const whole = value / scale;
  if (fraction === 0n) return `${whole}`;
  return `${whole}.${fraction.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
