/**
 * The language of one Steve `filter` parameter, as Steve's SQL-backed list processor
 * reads it (rancher/steve v0.10, pkg/stores/sqlpartition/queryparser: Kubernetes' label
 * selector grammar with Steve's additions). One parameter is a comma-separated list of
 * requirements, any of which an object may meet (OR); repeated parameters must all
 * hold (AND, see list-query.ts).
 *
 *   requirement := ["!"] KEY                               existence (Steve: labels only)
 *                | KEY ("=" | "==" | "!=" | "~" | "!~" | "<" | ">" | "lt" | "gt") VALUE
 *                | KEY ("in" | "notin") "(" VALUE {"," VALUE} ")"
 *
 * `=` and `==` are exact matches and `~` a substring match (Steve's non-SQL processor
 * matched substrings with `=`, which is how `filter=metadata.name=prod` came to return
 * `preprod`; the SQL processor, Rancher's default, made `=` exact). A VALUE is a word
 * (up to whitespace or one of `=!(),<>~`) or a quoted string ('…' or "…", `\` escapes),
 * so values holding those characters, or none, are quoted. Only the parsing is here:
 * which keys and operators a kind answers is list-filter.ts's business.
 */

type FilterOperator = '=' | '!=' | '~' | '!~' | '<' | '>' | 'in' | 'notin' | 'contains' | 'notcontains' | 'exists' | '!exists';

export interface Requirement {
  /** As written: `metadata.name`, `metadata.annotations[field.cattle.io/description]`. */
  key: string;
  operator: FilterOperator;
  /** One value, several for `in`/`notin`, none for existence tests. */
  values: string[];
}

/** The expression cannot be read; the message says where, as Steve's parser does. */
export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

type Token = { kind: 'word' | 'quoted' | 'symbol' | 'end'; text: string };

/** Longest first: `!=` before `!`, `==` before `=`. */
const symbols = ['!=', '!~', '==', '=', '~', '<', '>', '!', '(', ')', ','];
const symbolCharacters = new Set('=!(),<>~');
const wordOperators: Record<string, FilterOperator> = { in: 'in', notin: 'notin', contains: 'contains', notcontains: 'notcontains', lt: '<', gt: '>' };
const symbolOperators: Record<string, FilterOperator> = { '=': '=', '==': '=', '!=': '!=', '~': '~', '!~': '!~', '<': '<', '>': '>' };

/** The requirements of one `filter` value, any of which may hold; none for an empty one. */
export function parseFilterExpression(text: string): Requirement[] {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const isSymbol = (token: Token, symbol: string) => token.kind === 'symbol' && token.text === symbol;
  const atEnd = (token: Token) => token.kind === 'end' || isSymbol(token, ',');

  const requirement = (): Requirement => {
    const negated = isSymbol(peek(), '!');
    if (negated) next();
    const key = next();
    if (key.kind !== 'word') throw new FilterSyntaxError(`found ${describe(key)}, expected: a field`);
    if (negated || atEnd(peek())) {
      if (!atEnd(peek())) throw new FilterSyntaxError(`found ${describe(peek())}, expected: ',' or the end after !${key.text}`);
      return { key: key.text, operator: negated ? '!exists' : 'exists', values: [] };
    }
    const operator = operatorOf(next());
    if (operator === 'in' || operator === 'notin') return { key: key.text, operator, values: valueSet() };
    const value = next();
    if (value.kind !== 'word' && value.kind !== 'quoted')
      throw new FilterSyntaxError(`found ${describe(value)}, expected: a value after ${key.text} ${operator}`);
    if ((operator === '<' || operator === '>') && !/^[+-]?\d+$/.test(value.text)) {
      throw new FilterSyntaxError(`${key.text} ${operator} ${value.text}: the value of < and > must be an integer`);
    }
    return { key: key.text, operator, values: [value.text] };
  };

  // `(a, b)`, with Steve's reading of gaps: `()`, `(a,)` and `(,a)` hold the empty value.
  const valueSet = (): string[] => {
    const open = next();
    if (!isSymbol(open, '(')) throw new FilterSyntaxError(`found ${describe(open)}, expected: '('`);
    const values = new Set<string>();
    let current: string | undefined;
    for (;;) {
      const token = next();
      if ((token.kind === 'word' || token.kind === 'quoted') && current === undefined) current = token.text;
      else if (isSymbol(token, ',') || isSymbol(token, ')')) {
        values.add(current ?? '');
        current = undefined;
        if (token.text === ')') return [...values];
      } else throw new FilterSyntaxError(`found ${describe(token)}, expected: ',' or ')'`);
    }
  };

  const requirements: Requirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    requirements.push(requirement());
    const separator = next();
    if (separator.kind === 'end') return requirements;
    if (!isSymbol(separator, ',')) throw new FilterSyntaxError(`found ${describe(separator)}, expected: ',' or the end`);
    if (peek().kind !== 'word' && !isSymbol(peek(), '!')) throw new FilterSyntaxError(`found ${describe(peek())}, expected: a field after ','`);
  }
}

function operatorOf(token: Token): FilterOperator {
  const operator = token.kind === 'symbol' ? symbolOperators[token.text] : token.kind === 'word' ? wordOperators[token.text.toLowerCase()] : undefined;
  if (!operator) throw new FilterSyntaxError(`found ${describe(token)}, expected: one of =, ==, !=, ~, !~, <, >, in, notin`);
  return operator;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (/\s/.test(character)) {
      index += 1;
    } else if (symbolCharacters.has(character)) {
      const symbol = symbols.find((candidate) => text.startsWith(candidate, index))!;
      tokens.push({ kind: 'symbol', text: symbol });
      index += symbol.length;
    } else if (character === '"' || character === "'") {
      let value = '';
      index += 1;
      for (;;) {
        if (index >= text.length) throw new FilterSyntaxError(`unterminated string starting with ${character}${value.slice(0, 10)}`);
        const inside = text[index]!;
        index += 1;
        if (inside === character) break;
        if (inside === '\\' && index < text.length) value += text[index++];
        else value += inside;
      }
      tokens.push({ kind: 'quoted', text: value });
    } else if (/[\p{L}\p{N}_]/u.test(character)) {
      let word = '';
      while (index < text.length && !symbolCharacters.has(text[index]!) && !/\s/.test(text[index]!)) word += text[index++];
      tokens.push({ kind: 'word', text: word });
    } else {
      throw new FilterSyntaxError(`unexpected character ${JSON.stringify(character)} (quote values that start with it)`);
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end' : JSON.stringify(token.text);
}
