import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { requestLineWriter, type RequestEnd, type WriteRequestLine } from '../../src/http/request-line-writer.js';
import { createLogger } from '../../src/logger.js';

/** A logger as the server makes it, writing into an array. */
function capturedLogger(options: pino.LoggerOptions = {}) {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) };
  const root = Object.keys(options).length === 0 ? createLogger('info', destination) : pino({ level: 'info', ...options }, destination);
  return { logger: root.child({ face: 'test' }, { redact: [] }), lines };
}

/** A request line's fields, as the request log hands them to the writer. */
type Line = Parameters<WriteRequestLine> extends [RequestEnd, ...infer Fields] ? Fields : never;

const awkward: Line[] = [
  ['GET', '/v3', 200, 1.2, 'admin'],
  ['POST', '/v3/"quoted"/back\\slash?token=secret', 201, 0, 'u-"x"'],
  ['GET', '/tab\there/nul\u0000/line\nbreak', 404, 12345.6, 'anonymous'],
  ['PUT', `/${'long/'.repeat(120)}é/日本/\u2028`, 500, 0.1, 'ünïcode'],
  ['DELETE', '/lone\ud800surrogate', 204, Number.NaN, 'anonymous'],
  // The method and caller of the line before (the writer keeps their JSON), then others again.
  ['DELETE', '/v3/"again"', 200, 3, 'anonymous'],
  ['GET', '/v3', 200, 1.2, 'u-"x"'],
  ['POST', '/META/proxy/https://api.example.test/v2/accounts/secret', 200, 7.5, 'u-"x"'],
  ['GET', undefined, 400, 0.5, 'anonymous'],
];

/** What the line says of a URL, as the request log's contract has it: no query, a proxied path cut at its host, at most 512 characters. */
function shownPath(url: string | undefined): string {
  if (url === undefined) return '/';
  const path = url.split('?')[0]!;
  const prefix = '/meta/proxy/';
  if (path.toLowerCase().startsWith(prefix)) {
    const target = path.slice(prefix.length);
    const scheme = /^https?:\/\/?/i.exec(target)?.[0] ?? '';
    return `${path.slice(0, prefix.length)}${scheme}${target.slice(scheme.length).split('/')[0]}/…`;
  }
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}

/** The message's last word for how a request ended. */
const outcomeOf = (end: RequestEnd, ms: number) => (end === 'answered' ? `${Math.round(ms)}ms` : end);
const levelOf = { answered: 'info', aborted: 'warn', failed: 'error' } as const;

describe('the request line writer', () => {
  it('writes the line pino would write for the same fields, whatever the path holds', () => {
    const fast = capturedLogger();
    const slow = capturedLogger();
    const write = requestLineWriter(fast.logger);
    // The server's logger takes the writer's own path, not pino's methods.
    const methods = (['info', 'warn', 'error'] as const).map((level) => vi.spyOn(fast.logger, level));
    for (const [index, line] of awkward.entries()) {
      const end = (['answered', 'aborted', 'failed'] as const)[index % 3]!;
      write(end, ...line);
      const [method, url, status, ms, principal] = line;
      const path = shownPath(url);
      slow.logger[levelOf[end]]({ req: { method, path }, res: { status }, ms, principal }, `${method} ${path} ${status} ${outcomeOf(end, ms)}`);
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
    const [method, url, status, ms, principal] = awkward[1]!;
    requestLineWriter(fast.logger)('answered', ...awkward[1]!);
    const path = shownPath(url);
    slow.logger.info({ req: { method, path }, res: { status }, ms, principal }, `${method} ${path} ${status} 0ms`);
    expect(fast.lines).toEqual(slow.lines);
    expect(JSON.parse(fast.lines[0]!)).toMatchObject({ time: 'at the fixed hour' });
  });

  it('writes nothing below the logger level', () => {
    const { logger, lines } = capturedLogger();
    logger.level = 'warn';
    requestLineWriter(logger)('answered', ...awkward[0]!);
    expect(lines).toEqual([]);
  });

  it('follows the logger level as it changes after the writer is made', () => {
    const { logger, lines } = capturedLogger();
    const write = requestLineWriter(logger);
    write('answered', 'GET', '/v3', 200, 1, 'admin');
    logger.level = 'error';
    write('answered', 'GET', '/v3', 200, 2, 'admin');
    write('aborted', 'GET', '/v3', 200, 2, 'admin');
    write('failed', 'GET', '/v3', 200, 2, 'admin');
    logger.level = 'debug';
    write('answered', 'GET', '/v3', 200, 3, 'admin');
    expect(lines.map((text) => (JSON.parse(text) as { msg: string }).msg)).toEqual(['GET /v3 200 1ms', 'GET /v3 200 failed', 'GET /v3 200 3ms']);
  });

  it('leaves the line to pino when the logger prefixes its messages', () => {
    const { logger, lines } = capturedLogger();
    const prefixed = logger.child({}, { msgPrefix: '[api] ' });
    requestLineWriter(prefixed)('answered', ...awkward[0]!);
    expect((JSON.parse(lines[0]!) as { msg: string }).msg).toBe('[api] GET /v3 200 1ms');
  });

  it('leaves the line to pino when the logger adds to it (a mixin here)', () => {
    const { logger, lines } = capturedLogger({ mixin: () => ({ instance: 'a' }) });
    const info = vi.spyOn(logger, 'info');
    requestLineWriter(logger)('answered', ...awkward[0]!);
    expect(info).toHaveBeenCalledOnce();
    expect(JSON.parse(lines[0]!)).toMatchObject({ instance: 'a', req: { method: 'GET', path: '/v3' }, msg: 'GET /v3 200 1ms' });
  });
});
