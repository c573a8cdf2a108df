/**
 * An instant's RFC 3339 text, remembered by its time value.
 *
 * `Date#toISOString` costs ≈ 0.4 µs, and a list writes one per row and date field: a page
 * of 100 clusters spent ≈ 3 % of its CPU there (issue 11's profile), writing the same
 * instants page after page. A bounded map of time value → text answers a repeat in
 * ≈ 15 ns; when it is full it starts again empty, which costs one `toISOString` per
 * instant and never grows.
 *
 * The way back is remembered with it: /v3 shows each `created` a second time as
 * milliseconds (`createdTS`), from the text GraphQL answered, and `Date.parse` costs
 * ≈ 0.3 µs where a lookup of a text written here costs ≈ 10 ns.
 */
const capacity = 4096;
const textByTime = new Map<number, string>();
const timeByText = new Map<string, number>();

export function instantText(date: Date): string {
  const time = date.getTime();
  const known = textByTime.get(time);
  if (known !== undefined) return known;
  // An invalid date throws here (RangeError), before anything is remembered.
  const text = date.toISOString();
  if (textByTime.size >= capacity) {
    textByTime.clear();
    timeByText.clear();
  }
  textByTime.set(time, text);
  timeByText.set(text, time);
  return text;
}

/** The time value of an instant's text: remembered when this module wrote the text, else parsed (NaN for what is no date). */
export function instantTime(text: string): number {
  return timeByText.get(text) ?? Date.parse(text);
}
