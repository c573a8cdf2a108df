import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. Secrets never reach it: request lines carry method, path,
 * status, duration and principal only, and the redact list below is a second fence
 * for anything that might be logged by mistake.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'password',
          '*.password',
          'secret',
          '*.secret',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
