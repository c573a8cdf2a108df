import { describe, expect, it } from 'vitest';
import { NormanHttpError } from '../rest-compat/errors.js';
import { ApiError } from '../src/errors.js';

const frames = (error: Error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).length;

describe('errors that carry a status', () => {
  it('capture no stack for an answer about the request (below 500), and keep one for a fault', () => {
    const limit = Error.stackTraceLimit;
    expect(frames(new ApiError('UNAUTHORIZED', 'no credential'))).toBe(0);
    expect(frames(new ApiError('RATE_LIMITED', 'slow down'))).toBe(0);
    expect(frames(new NormanHttpError(404, 'NotFound', 'gone'))).toBe(0);
    expect(frames(new ApiError('INTERNAL_SERVER_ERROR', 'broken'))).toBeGreaterThan(0);
    expect(frames(new NormanHttpError(502, 'BadGateway', 'upstream'))).toBeGreaterThan(0);
    // What they are stays as it was: the message, the name, and the process's own limit.
    const refused = new ApiError('PERMISSION_DENIED', 'not yours');
    expect(refused).toBeInstanceOf(Error);
    expect(refused.stack).toBe('ApiError: not yours');
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
