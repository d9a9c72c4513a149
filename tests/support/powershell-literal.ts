/**
 * PowerShell's rule for a single-quoted literal, to check what a generated script really passes:
 * it ends at the first lone quote (' or a typographic single quote); a doubled quote is one character.
 */
export function readPsLiteral(line: string, start: number): { value: string; end: number } {
  const quote = /['\u2018\u2019\u201a\u201b]/;
  if (!quote.test(line[start])) throw new Error(`no literal at ${start}: ${line}`);
  let value = '';
  for (let i = start + 1; i < line.length; i++) {
    if (quote.test(line[i])) {
      if (quote.test(line[i + 1] ?? '')) {
        value += line[i];
        i++;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += line[i];
  }
  throw new Error(`unterminated literal: ${line}`);
}

/** The literal that follows `parameter ` on `line` (e.g. '-Identity'), decoded. */
export function psArgument(line: string, parameter: string): string {
  const at = line.indexOf(`${parameter} `);
  if (at < 0) throw new Error(`no ${parameter} in: ${line}`);
  return readPsLiteral(line, at + parameter.length + 1).value;
}
