/**
 * Admin-supplied values (names, addresses) inside the generated scripts: always as single-quoted
 * literals, so nothing in them is ever evaluated ($(), backticks, ;, &), and never with a line
 * break or control character, which could end a comment or a literal early.
 */

/** Control characters, line and paragraph separators, and bidi overrides that make code read differently than it runs. */
const UNSAFE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export class UnsafeScriptValue extends Error {
  override name = 'UnsafeScriptValue';
  constructor(readonly label: string) {
    super(`${label}: line breaks and control characters are not allowed in a script value.`);
  }
}

/** Throws when `value` may not go into a script at all. */
export function assertScriptSafe(value: string, label: string): string {
  if (UNSAFE.test(value)) throw new UnsafeScriptValue(label);
  return value;
}

export const isScriptSafe = (value: string) => !UNSAFE.test(value);

/** PowerShell treats the typographic single quotes like ' — each is doubled inside a single-quoted literal. */
const PS_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/** A PowerShell single-quoted literal: no expansion at all; a quote inside is written twice. */
export function psQuote(value: string, label = 'Value'): string {
  return `'${assertScriptSafe(value, label).replace(PS_SINGLE_QUOTES, (q) => q + q)}'`;
}

/** A bash single-quoted word: nothing is special inside; a quote ends it, is escaped, and reopens it. */
export function shQuote(value: string, label = 'Value'): string {
  return `'${assertScriptSafe(value, label).replace(/'/g, `'\\''`)}'`;
}
