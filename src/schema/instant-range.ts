/**
 * The instants a `DateTime` takes. RFC 3339 writes a year in four digits; JavaScript also
 * reads six-digit and negative years (`+010000-…`, `-000100-…`), which the database's
 * timestamps cannot hold: a filter with a year before 1 failed in PostgreSQL, a 500.
 * Every face checks a date against this one rule (the scalar, /v3's filters and bodies).
 */
const earliest = Date.parse('0001-01-01T00:00:00.000Z');
const latest = Date.parse('9999-12-31T23:59:59.999Z');

/** The instant `text` names, or undefined when it names none or one beyond years 0001–9999. */
export function readInstant(text: string): Date | undefined {
  const time = Date.parse(text);
  return time >= earliest && time <= latest ? new Date(time) : undefined;
}
