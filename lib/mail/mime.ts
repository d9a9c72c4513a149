/**
 * The header block of a MIME message as received (the relay) and as passed on (SMTP as-is, Graph as
 * MIME): read, add and replace header fields without touching the body's bytes. The head is kept
 * as a latin1 string so every byte survives the round trip (SMTPUTF8 headers are UTF-8 bytes);
 * `display()` turns a value into text for lists.
 */

export type HeaderField = {
  /** lower-cased field name */
  name: string;
  /** the whole field as received, folded lines included, without the final line break */
  raw: string;
};

export type ParsedMessage = {
  fields: HeaderField[];
  /** the body's bytes, after the empty line */
  body: Buffer;
  /** the line break the message uses */
  eol: '\r\n' | '\n';
};

export function parseMessage(raw: Buffer): ParsedMessage {
  let end = raw.indexOf('\r\n\r\n');
  let eol: '\r\n' | '\n' = '\r\n';
  const lf = raw.indexOf('\n\n');
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf;
    eol = '\n';
  }
  // No empty line: the whole message is header (or a body without headers; both are passed on as they are).
  const headEnd = end < 0 ? raw.length : end;
  const bodyStart = end < 0 ? raw.length : end + eol.length * 2;
  const head = raw.subarray(0, headEnd).toString('latin1');
  const fields: HeaderField[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (!line) continue;
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1].raw += `${eol}${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    fields.push({ name: colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '', raw: line });
  }
  return { fields, body: raw.subarray(bodyStart), eol };
}

/** The unfolded value of the first field called `name`, or undefined. */
export function headerValue(m: ParsedMessage, name: string): string | undefined {
  const f = m.fields.find((x) => x.name === name);
  if (!f) return undefined;
  return f.raw
    .slice(f.raw.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

export function serialise(m: ParsedMessage): Buffer {
  const head = m.fields.map((f) => f.raw).join(m.eol);
  return Buffer.concat([Buffer.from(`${head}${m.eol}${m.eol}`, 'latin1'), m.body]);
}

/** `Name: value` as a field, the value given as text (UTF-8 bytes kept as they are). */
export function field(name: string, value: string): HeaderField {
  return { name: name.toLowerCase(), raw: `${name}: ${Buffer.from(value, 'utf8').toString('latin1')}` };
}

/** The addresses of an address-list header value: `"Ann" <ann@x>, bob@y (Bob)` → `['ann@x', 'bob@y']`. */
export function addressesIn(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  let part = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  const flush = () => {
    const p = part.replace(/^[^:<"]*:(?![^<]*>)/, ''); // a group's "name:" prefix
    const inAngle = /<([^>]*)>/.exec(p)?.[1];
    const bare = p
      .replace(/\([^)]*\)/g, '')
      .replace(/;\s*$/, '')
      .trim();
    const a = (inAngle ?? bare).trim();
    if (a.includes('@')) out.push(a);
    part = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      part += c + value[++i];
      continue;
    }
    if (c === '"' && !comment) quoted = !quoted;
    else if (!quoted && c === '(') comment++;
    else if (!quoted && c === ')' && comment) comment--;
    else if (!quoted && !comment && c === '<') angle++;
    else if (!quoted && !comment && c === '>' && angle) angle--;
    if ((c === ',' || c === ';') && !quoted && !angle && !comment) {
      if (c === ';') part += c;
      flush();
      continue;
    }
    part += c;
  }
  flush();
  return out;
}

/** A header value as text: UTF-8 bytes decoded and RFC 2047 encoded-words (=?utf-8?B?…?=) decoded. */
export function display(latin1Value: string): string {
  const text = Buffer.from(latin1Value, 'latin1').toString('utf8');
  return text
    .replace(/(=\?[^?\s]+\?[bqBQ]\?[^?\s]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([bqBQ])\?([^?\s]*)\?=/g, (whole, charset: string, enc: string, data: string) => {
      try {
        const bytes =
          enc.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : Buffer.from(
                data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
                'latin1',
              );
        return new TextDecoder(charset.replace(/\*.*$/, '')).decode(bytes);
      } catch {
        return whole;
      }
    });
}
