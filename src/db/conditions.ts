/** Builds a WHERE clause with numbered parameters, one condition at a time. */
export class Conditions {
  readonly where: string[] = [];
  constructor(readonly params: unknown[] = []) {}

  /** Adds `sql(p)` where p is the placeholder of `value`; skipped when value is undefined. */
  add(value: unknown, sql: (p: string) => string): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.where.push(sql(`$${this.params.length}`));
    return this;
  }

  /** A placeholder for `value` without a condition (e.g. LIMIT). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  sql(): string {
    return this.where.join(' AND ');
  }
}
