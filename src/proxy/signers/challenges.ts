/** One challenge of a `WWW-Authenticate` header. */
export interface Challenge {
  /** Lowercase. */
  readonly scheme: string;
  /** Lowercase names; quoted values unquoted and unescaped. */
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

/**
 * Parses `WWW-Authenticate` by the RFC 9110 grammar (§11.6.1): several challenges per
 * header, quoted strings that contain commas or escaped quotes, token68. Rancher split
 * on `", "` and crashed on a quoted comma; a regex over the whole header mis-reads
 * `qop="auth,auth-int"` and a second challenge alike. Returns [] for garbage.
 */
export function parseChallenges(header: string | readonly string[]): Challenge[] {
  return [header].flat().flatMap((value) => new ChallengeReader(value).readAll());
}

const tchar = "[!#$%&'*+.^_`|~0-9A-Za-z-]";

class ChallengeReader {
  private position = 0;

  constructor(private readonly text: string) {}

  readAll(): Challenge[] {
    const challenges: Challenge[] = [];
    for (;;) {
      this.match(/[\s,]*/y);
      const scheme = this.match(new RegExp(`${tchar}+`, 'y'));
      if (!scheme) return this.position >= this.text.length ? challenges : [];
      this.match(/ */y);
      const token68 = this.match(/[A-Za-z0-9._~+/-]+=*(?=\s*(,|$))/y);
      challenges.push({ scheme: scheme.toLowerCase(), params: token68 ? {} : this.readParams(), ...(token68 ? { token68 } : {}) });
    }
  }

  /** `name=value` pairs up to the next challenge (a token not followed by `=`). */
  private readParams(): Record<string, string> {
    const params: Record<string, string> = {};
    for (;;) {
      const start = this.position;
      this.match(/[\s,]*/y);
      const name = this.match(new RegExp(`(${tchar}+)[ \\t]*=[ \\t]*`, 'y'));
      if (!name) {
        this.position = start;
        return params;
      }
      params[name.replace(/[ \t]*=[ \t]*$/, '').toLowerCase()] = this.readValue();
    }
  }

  private readValue(): string {
    const quoted = this.match(/"((?:[^"\\]|\\.)*)"/y);
    if (quoted !== undefined) return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
    return this.match(new RegExp(`${tchar}*`, 'y')) ?? '';
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    const found = pattern.exec(this.text);
    if (!found) return undefined;
    this.position = pattern.lastIndex;
    return found[0];
  }
}
