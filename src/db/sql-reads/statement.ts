/**
 * A statement being written: its parameters, numbered as they are added, and fresh
 * table aliases (`t0`, `t1`, …) for the subqueries it nests.
 */
export class Statement {
  readonly params: unknown[] = [];
  private aliases = 0;

  /** A placeholder for `value`, sent as a parameter, never spliced into the text. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  alias(): string {
    return `t${this.aliases++}`;
  }
}

/** A double-quoted SQL identifier. Names come from the generated read model, never from a request. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
