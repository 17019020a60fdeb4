/**
 * Splits a line into tokens with the rules of Redis's sdssplitargs (used for the AOF
 * manifest): blanks separate tokens; "double quotes" take C-style escapes (\n \r \t
 * \b \a, \xHH, any other escaped character as itself); 'single quotes' take only \';
 * a closing quote must be followed by a blank or the end of the line. Returns null for
 * unbalanced quotes or a quote followed by something else, as Redis does.
 *
 * Works on latin1 strings, so every byte is one character.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let p = 0;
  const n = line.length;
  const at = (i: number): string => (i < n ? line[i] : '\0');
  while (true) {
    while (p < n && isSpace(line[p])) p++;
    if (p >= n || line[p] === '\0') return out;
    let current = '';
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === '\\' && at(p + 1) === 'x' && isHex(at(p + 2)) && isHex(at(p + 3))) {
          current += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && at(p + 1) !== '\0') {
          p++;
          current += unescape(line[p]);
        } else if (c === '"') {
          if (at(p + 1) !== '\0' && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === '\0') {
          return null;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === '\\' && at(p + 1) === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (at(p + 1) !== '\0' && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === '\0') {
          return null;
        } else {
          current += c;
        }
      } else if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\0') {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      if (p < n && line[p] !== '\0') p++;
    }
    out.push(current);
  }
}

/** C isspace in the "C" locale. */
export function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

function unescape(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\x07';
    default:
      return c;
  }
}
