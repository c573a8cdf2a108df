import pino from 'pino';
import { type DeferredLines, deferredLine, type Logger } from '../logger.js';
import { pathOf } from './shown-path.js';

/**
 * How a request ended, which sets its line's level and the end of its message: answered
 * (info, the time it took), aborted by the client (warn) or failed with a 5xx (error).
 */
export type RequestEnd = 'answered' | 'aborted' | 'failed';

const levelOf = { answered: 'info', aborted: 'warn', failed: 'error' } as const satisfies Record<RequestEnd, pino.Level>;

type RequestLineLevel = (typeof levelOf)[RequestEnd];

/**
 * Logs one request's line: how it ended, its method, its URL as it came (the line shows
 * {@link pathOf} of it), its status, its time in milliseconds and its caller's name.
 * Plain values rather than an object: the line's record is the one object a request
 * makes for its line (src/http/request-log.ts).
 */
export type WriteRequestLine = (end: RequestEnd, method: string, url: string | undefined, status: number, ms: number, principal: string) => void;

/** The message's last word: the time for an answer, else how the request ended. */
const outcomeOf = (end: RequestEnd, ms: number) => (end === 'answered' ? `${Math.round(ms)}ms` : end);

interface PinoInternals {
  [pino.symbols.streamSym]: pino.DestinationStreamWithMetadata;
  [pino.symbols.lsCacheSym]: Record<number, string>;
  [pino.symbols.timeSym]: () => string;
  [pino.symbols.chindingsSym]: string;
  [pino.symbols.endSym]: string;
  [pino.symbols.messageKeySym]: string;
  [pino.symbols.mixinSym]?: unknown;
  [pino.symbols.nestedKeySym]?: string | null;
  [pino.symbols.formattersSym]: { log?: unknown };
  [pino.symbols.hooksSym]: { logMethod?: unknown; streamWrite?: unknown };
  [pino.symbols.stringifiersSym]: Record<string | symbol, unknown>;
}

/**
 * Writes request lines for `logger`: the line its `info`/`warn`/`error` (by how the
 * request ended) would write for `{ req: { method, path }, res: { status }, ms, principal }`
 * and the message `<method> <path> <status> <outcome>` — the same
 * JSON, keys in the same order (strings are escaped by `JSON.stringify`, which also
 * escapes a lone surrogate that pino's own escaping would pass through).
 *
 * Why not simply call the logger: pino's general serialiser walks the object key by key
 * and runs `JSON.stringify` for each nested one; for this one fixed shape that was ≈ 3.5 of
 * the 7–8 % of a cheap request's CPU the line cost (issue 12 allows the request log 3 %;
 * most of the rest was the destination, src/logger.ts), this writer ≈ 1 %. Here
 * the line is one template whose strings go through `JSON.stringify`, between the parts
 * pino itself made for this logger (its level prefix, its clock, its bindings, its line
 * ending), and it goes to the logger's own destination — made there with its batch when the
 * destination is the process log's (src/logger.ts, `DeferredLines`): the time and bindings
 * are taken as the line is logged, the text later (the path shown, the outcome and the
 * JSON: text made for a batch of lines in a row costs about half what it does at each
 * request's end). A logger configured with anything
 * that would change a line's bytes (a message prefix, a mixin, a log formatter, a nested
 * key, hooks, stringifiers, or a destination that wants each line's metadata) gets its
 * lines from pino itself instead.
 */
export function requestLineWriter(logger: Logger, enabled: (level: RequestLineLevel) => boolean = levelGate(logger)): WriteRequestLine {
  const internals = logger as unknown as PinoInternals;
  const { symbols } = pino;
  const plain =
    !logger.msgPrefix &&
    !internals[symbols.mixinSym] &&
    !internals[symbols.nestedKeySym] &&
    !internals[symbols.formattersSym].log &&
    !internals[symbols.hooksSym].logMethod &&
    !internals[symbols.hooksSym].streamWrite &&
    // What pino's serialiser consults: a stringifier per key (redaction puts them there) or a wildcard one.
    Object.keys(internals[symbols.stringifiersSym]).length === 0 &&
    !internals[symbols.stringifiersSym][symbols.wildcardFirstSym] &&
    internals[symbols.streamSym][symbols.needsMetadataGsym] !== true;
  if (!plain) {
    return (end, method, url, status, ms, principal) => {
      const path = pathOf(url);
      logger[levelOf[end]]({ req: { method, path }, res: { status }, ms, principal }, `${method} ${path} ${status} ${outcomeOf(end, ms)}`);
    };
  }
  const messageKey = JSON.stringify(internals[symbols.messageKeySym]);
  // Fixed for a logger's life (pino sets them when it makes the logger): the level
  // prefixes, the line's end and the destination. Its bindings can change (`setBindings`)
  // and are read per line, as pino does; its level is checked per line; its clock is
  // called as pino calls it, as the logger's method.
  const levelPrefix = (level: RequestLineLevel) => internals[symbols.lsCacheSym][logger.levels.values[level]!]!;
  const prefixes: Record<RequestEnd, string> = { answered: levelPrefix('info'), aborted: levelPrefix('warn'), failed: levelPrefix('error') };
  const lineEnd = internals[symbols.endSym];
  const destination = internals[symbols.streamSym];
  // The process log's own output makes a line's text with its batch (src/logger.ts, DeferredLines).
  const deferring = deferredLine in destination ? (destination as pino.DestinationStream & DeferredLines) : undefined;
  // pino's default clock, `,"time":<epoch ms>`: the number is taken, the text made with the rest.
  const epochClock = internals[symbols.timeSym] === pino.stdTimeFunctions.epochTime;
  // Most lines repeat the method and the caller of the line before.
  const methodJson = repeatingJsonString();
  const principalJson = repeatingJsonString();
  const format = ({ end, time, bindings, method, url, status, ms, principal }: LoggedLine): string => {
    // Made here, with the batch, as the rest of the text: what the line shows of the URL, and its outcome.
    const path = pathOf(url);
    const jsonMethod = methodJson(method);
    const jsonPath = JSON.stringify(path);
    // The message is `<method> <path> <status> <outcome>`: its JSON is the escaped method and
    // path without their quotes, and the status and outcome, which need no escaping.
    const message = `"${unquoted(jsonMethod, method)} ${unquoted(jsonPath, path)} ${status} ${outcomeOf(end, ms)}"`;
    return `${prefixes[end]}${typeof time === 'number' ? `,"time":${time}` : time}${bindings},"req":{"method":${jsonMethod},"path":${jsonPath}},"res":{"status":${status}},"ms":${Number.isFinite(ms) ? ms : null},"principal":${principalJson(principal)},${messageKey}:${message}${lineEnd}`;
  };
  return (end, method, url, status, ms, principal) => {
    if (!enabled(levelOf[end])) return;
    // What the line says as of now: the time, and the bindings (`setBindings` may change them later).
    const logged: LoggedLine = {
      end,
      time: epochClock ? Date.now() : internals[symbols.timeSym](),
      bindings: internals[symbols.chindingsSym],
      method,
      url,
      status,
      ms,
      principal,
    };
    if (deferring) deferring[deferredLine](format, logged);
    else destination.write(format(logged));
  };
}

/** `JSON.stringify` of a string, remembering the last one it made. */
function repeatingJsonString(): (text: string) => string {
  let last = '';
  let lastJson = '""';
  return (text) => {
    if (text !== last) {
      last = text;
      lastJson = JSON.stringify(text);
    }
    return lastJson;
  };
}

/** The escaped text inside a JSON string: the text itself when nothing needed escaping (the JSON is two quotes longer). */
function unquoted(json: string, text: string): string {
  return json.length === text.length + 2 ? text : json.slice(1, -1);
}

/** A request line as logged, until its text is made. */
interface LoggedLine {
  end: RequestEnd;
  /** Epoch milliseconds (pino's default clock), or the text the logger's own clock made. */
  time: number | string;
  bindings: string;
  method: string;
  url: string | undefined;
  status: number;
  ms: number;
  principal: string;
}

/**
 * `logger.isLevelEnabled` for the levels a request line uses, worked out again only when
 * the logger's level has changed: pino's check looks the level up and compares through a
 * function on every call, twice a request (whether to time it, whether to write it).
 */
export function levelGate(logger: Logger): (level: RequestLineLevel) => boolean {
  let knownLevel: number | undefined;
  let enabled: Record<RequestLineLevel, boolean> = { info: false, warn: false, error: false };
  return (level) => {
    if (logger.levelVal !== knownLevel) {
      knownLevel = logger.levelVal;
      enabled = { info: logger.isLevelEnabled('info'), warn: logger.isLevelEnabled('warn'), error: logger.isLevelEnabled('error') };
    }
    return enabled[level];
  };
}
