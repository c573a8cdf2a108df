/**
 * What a failed database call says about the database rather than about the request,
 * read from the shapes the drivers actually raise: Prisma's known request errors
 * (`P1001` with a driver adapter cause of kind `DatabaseNotReachable`, …), the
 * adapter's PostgreSQL codes (`meta.driverAdapterError.cause.originalCode`), and the
 * bare Node/pg errors (`ECONNREFUSED`, "Connection terminated") a pool can surface.
 */

/** Prisma's codes for "could not reach / lost / timed out talking to the database". */
const prismaConnectionCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver adapter error kinds with the same meaning. */
const adapterConnectionKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionAlreadyClosed']);
/** Node's socket errors. */
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** PostgreSQL: class 08 (connection exception), 57P01–57P03 (shutting down, cannot connect now), 53300 (too many connections). */
const postgresUnavailable = (sqlState: string) => sqlState.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(sqlState);
/** PostgreSQL's refusals of a string it cannot store: invalid byte sequence (22021), untranslatable character (22P05). */
const encodingStates = new Set(['22021', '22P05']);

interface DriverFailure {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; code?: string } } };
  cause?: unknown;
}

/** True when the database could not be reached or the connection was lost: the caller should retry. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const failure = error as DriverFailure | null;
  if (!failure || typeof failure !== 'object') return false;
  const cause = failure.meta?.driverAdapterError?.cause;
  if (
    typeof failure.code === 'string' &&
    (prismaConnectionCodes.has(failure.code) || socketCodes.has(failure.code) || (/^[0-9A-Z]{5}$/.test(failure.code) && postgresUnavailable(failure.code)))
  )
    return true;
  if (cause?.kind && adapterConnectionKinds.has(cause.kind)) return true;
  const sqlState = cause?.originalCode ?? cause?.code;
  if (sqlState && postgresUnavailable(sqlState)) return true;
  if (
    typeof failure.message === 'string' &&
    /connection terminated|connection timeout|Connection refused|PGlite is closed|Client has encountered a connection error/i.test(failure.message)
  )
    return true;
  return failure.cause !== undefined && failure.cause !== error && isDatabaseUnavailable(failure.cause);
}

/** True when PostgreSQL refused a string it cannot store as text (a NUL, an invalid byte sequence). */
export function isEncodingRefusal(error: unknown): boolean {
  const failure = error as DriverFailure | null;
  const cause = failure?.meta?.driverAdapterError?.cause;
  const sqlState = cause?.originalCode ?? cause?.code ?? (typeof failure?.code === 'string' ? failure.code : undefined);
  return sqlState !== undefined && encodingStates.has(sqlState);
}
