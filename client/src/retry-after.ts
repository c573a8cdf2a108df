/**
 * Seconds to wait before asking again, from a `Retry-After` header (RFC 9110: delay-seconds
 * or an HTTP date, counted from `now`); undefined when the header is absent or unreadable.
 * The server sends it with 429 (the per-minute request limit, a full change-stream server)
 * and 503 (the database away). One reading for the hooks' errors (errors.ts) and the
 * live-changes watch (live-changes.ts), so both back off alike.
 */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Number(value);
  // An HTTP date starts with its day's name; Date.parse alone takes nearly anything ("-5").
  const at = /^[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
  // Rounded up: waiting less than the server asked would only be refused again.
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
