import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { requestLineWriter, type RequestLine, type RequestOutcome } from '../../src/http/request-line-writer.js';
import { createLogger } from '../../src/logger.js';

/** A logger as the server makes it, writing into an array. */
function capturedLogger(options: pino.LoggerOptions = {}) {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) };
  const root = Object.keys(options).length === 0 ? createLogger('info', destination) : pino({ level: 'info', ...options }, destination);
  return { logger: root.child({ face: 'test' }, { redact: [] }), lines };
}

const awkward: RequestLine[] = [
  { method: 'GET', path: '/v3', status: 200, ms: 1.2, principal: 'admin' },
  { method: 'POST', path: '/v3/"quoted"/back\\slash', status: 201, ms: 0, principal: 'u-"x"' },
  { method: 'GET', path: '/tab\there/nul\u0000/line\nbreak', status: 404, ms: 12345.6, principal: 'anonymous' },
  { method: 'PUT', path: `/${'long/'.repeat(40)}é/日本/\u2028`, status: 500, ms: 0.1, principal: 'ünïcode' },
  { method: 'DELETE', path: '/lone\ud800surrogate', status: 204, ms: Number.NaN, principal: 'anonymous' },
  // The method and caller of the line before (the writer keeps their JSON), then others again.
  { method: 'DELETE', path: '/v3/"again"', status: 200, ms: 3, principal: 'anonymous' },
  { method: 'GET', path: '/v3', status: 200, ms: 1.2, principal: 'u-"x"' },
];

describe('the request line writer', () => {
  it('writes the line pino would write for the same fields, whatever the path holds', () => {
    const fast = capturedLogger();
    const slow = capturedLogger();
    const write = requestLineWriter(fast.logger);
    // The server's logger takes the writer's own path, not pino's methods.
    const methods = (['info', 'warn', 'error'] as const).map((level) => vi.spyOn(fast.logger, level));
    const outcomes: RequestOutcome[] = ['12ms', 'aborted', 'failed', '0ms', '12345ms', '3ms', '1ms'];
    for (const [index, line] of awkward.entries()) {
      const level = (['info', 'warn', 'error'] as const)[index % 3]!;
      const outcome = outcomes[index]!;
      write(level, line, outcome);
      const { method, path, status, ms, principal } = line;
      slow.logger[level]({ req: { method, path }, res: { status }, ms, principal }, `${method} ${path} ${status} ${outcome}`);
    }
    for (const method of methods) expect(method).not.toHaveBeenCalled();
    expect(fast.lines).toHaveLength(awkward.length);
    const withoutTime = (text: string) => {
      const { time, ...rest } = JSON.parse(text) as { time: number };
      expect(typeof time).toBe('number');
      return rest;
    };
    expect(fast.lines.map(withoutTime)).toEqual(slow.lines.map(withoutTime));
    // Same keys in the same order: the line reads as pino's does.
    expect(fast.lines.map((text) => Object.keys(JSON.parse(text)))).toEqual(slow.lines.map((text) => Object.keys(JSON.parse(text))));
    for (const text of fast.lines) expect(text.endsWith('\n')).toBe(true);
  });

  it("writes the logger's own clock when it is not pino's default", () => {
    const timestamp = () => ',"time":"at the fixed hour"';
    const fast = capturedLogger({ timestamp });
    const slow = capturedLogger({ timestamp });
    const { method, path, status, ms, principal } = awkward[1]!;
    requestLineWriter(fast.logger)('info', awkward[1]!, '3ms');
    slow.logger.info({ req: { method, path }, res: { status }, ms, principal }, `${method} ${path} ${status} 3ms`);
    expect(fast.lines).toEqual(slow.lines);
    expect(JSON.parse(fast.lines[0]!)).toMatchObject({ time: 'at the fixed hour' });
  });

  it('writes nothing below the logger level', () => {
    const { logger, lines } = capturedLogger();
    logger.level = 'warn';
    requestLineWriter(logger)('info', awkward[0]!, '1ms');
    expect(lines).toEqual([]);
  });

  it('follows the logger level as it changes after the writer is made', () => {
    const { logger, lines } = capturedLogger();
    const write = requestLineWriter(logger);
    write('info', awkward[0]!, '1ms');
    logger.level = 'error';
    write('info', awkward[0]!, '2ms');
    write('warn', awkward[0]!, 'aborted');
    write('error', awkward[0]!, 'failed');
    logger.level = 'debug';
    write('info', awkward[0]!, '3ms');
    expect(lines.map((text) => (JSON.parse(text) as { msg: string }).msg)).toEqual(['GET /v3 200 1ms', 'GET /v3 200 failed', 'GET /v3 200 3ms']);
  });

  it('leaves the line to pino when the logger prefixes its messages', () => {
    const { logger, lines } = capturedLogger();
    const prefixed = logger.child({}, { msgPrefix: '[api] ' });
    requestLineWriter(prefixed)('info', awkward[0]!, '1ms');
    expect((JSON.parse(lines[0]!) as { msg: string }).msg).toBe('[api] GET /v3 200 1ms');
  });

  it('leaves the line to pino when the logger adds to it (a mixin here)', () => {
    const { logger, lines } = capturedLogger({ mixin: () => ({ instance: 'a' }) });
    const info = vi.spyOn(logger, 'info');
    requestLineWriter(logger)('info', awkward[0]!, '1ms');
    expect(info).toHaveBeenCalledOnce();
    expect(JSON.parse(lines[0]!)).toMatchObject({ instance: 'a', req: { method: 'GET', path: '/v3' }, msg: 'GET /v3 200 1ms' });
  });
});
