import { getPublicSuffix } from 'tldts';
import { ApiError } from '../errors.js';
import { canonicalHostname, isIpLiteral } from './hostnames.js';

/**
 * Where allow-list entries come from: the `whitelist-domain` setting plus the domains of
 * active node drivers, gathered by the caller. Asked on every request, so changes take
 * effect at once.
 */
export interface AllowListSource {
  /** The entries; a plain array when they are known without a read (the sources' caches are fresh). */
  whitelistDomains(): string[] | Promise<string[]>;
}

/** How a host got on the list: only an `exact` entry may admit a non-public address. */
export type AllowListMatch = 'exact' | 'pattern' | 'none';

/**
 * Matches a canonical hostname against entries: exact names (or IPs), a leading `*`
 * (one or more whole labels), `%` (exactly one label). Invalid and too-broad entries
 * never match. Also used for a credential's `allowedHosts`.
 */
export function matchHostPatterns(entries: readonly string[], hostname: string): AllowListMatch {
  const list = compileList(entries);
  if (list.exact.has(hostname)) return 'exact';
  // An address is named, never matched by a pattern: `*.0.0.1` must not reach 127.0.0.1.
  if (isIpLiteral(hostname)) return 'none';
  return list.wildcards.some((regex) => regex.test(hostname)) ? 'pattern' : 'none';
}

/**
 * For saving the setting or a driver: a 422 naming what is wrong with one entry, so a
 * pattern that would be ignored at match time is never stored silently.
 */
export function validateAllowListEntry(entry: string, fieldName = 'whitelistDomains'): void {
  const problem = describe(entry);
  if (typeof problem === 'string') throw new ApiError('INVALID_INPUT', `allow-list entry ${JSON.stringify(entry)}: ${problem}`, { fieldName });
}

type Pattern = { kind: 'exact'; hostname: string } | { kind: 'wildcard'; regex: RegExp };

interface CompiledList {
  /** The entries it was compiled from, to notice an array changed in place. */
  readonly source: readonly string[];
  readonly exact: ReadonlySet<string>;
  readonly wildcards: readonly RegExp[];
}

// The proxy asks with the same list on every request (its source hands out the same array
// until something changes): it is compiled once per array, and again if the array changed.
const compiledLists = new WeakMap<readonly string[], CompiledList>();

function compileList(entries: readonly string[]): CompiledList {
  let list = compiledLists.get(entries);
  if (!list || list.source.length !== entries.length || list.source.some((entry, index) => entry !== entries[index])) {
    const exact = new Set<string>();
    const wildcards: RegExp[] = [];
    for (const entry of entries.flatMap((value) => value.split(','))) {
      const pattern = compile(entry);
      if (pattern?.kind === 'exact') exact.add(pattern.hostname);
      else if (pattern?.kind === 'wildcard') wildcards.push(pattern.regex);
    }
    list = { source: [...entries], exact, wildcards };
    compiledLists.set(entries, list);
  }
  return list;
}

// Entries repeat across lists; compiling each distinct string once keeps a new list cheap.
const compiled = new Map<string, Pattern | undefined>();

function compile(entry: string): Pattern | undefined {
  if (!compiled.has(entry)) {
    const result = describe(entry);
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(entry, typeof result === 'string' ? undefined : result);
  }
  return compiled.get(entry);
}

const label = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

/** The compiled pattern, or why the entry is unusable. */
function describe(entry: string): Pattern | string {
  const trimmed = entry.trim().toLowerCase().replace(/\.$/, '');
  if (trimmed === '') return 'empty';
  if (!/[*%]/.test(trimmed)) {
    const hostname = canonicalHostname(trimmed);
    return hostname ? { kind: 'exact', hostname } : 'not a host name or IP address';
  }
  const labels = trimmed.split('.');
  const wildcardAt = (index: number) => labels[index] === '*' || labels[index] === '%';
  for (const [index, part] of labels.entries()) {
    if (part === '*' && index !== 0) return '`*` may only stand for the leading labels';
    if (part !== '*' && part !== '%' && !label.test(part)) return `${JSON.stringify(part)} is not a DNS label (wildcards match whole labels only)`;
  }
  const fixedPart = labels.slice(labels.findLastIndex((_, index) => wildcardAt(index)) + 1).join('.');
  if (fixedPart === '' || getPublicSuffix(fixedPart, { allowPrivateDomains: true }) === fixedPart) {
    return 'too broad: its fixed part is a public suffix';
  }
  const source = labels.map((part) => (part === '*' ? '(?:[a-z0-9_-]+\\.)*[a-z0-9_-]+' : part === '%' ? '[a-z0-9_-]+' : part)).join('\\.');
  return { kind: 'wildcard', regex: new RegExp(`^${source}$`) };
}
