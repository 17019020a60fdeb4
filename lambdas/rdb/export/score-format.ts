/**
 * Formats zset scores the way a given server prints them in replies:
 * Redis before 7.2 uses printf("%.17g"); Redis 7.2+ and Valkey print the
 * shortest text that reads back to the same double.
 */
export type ScoreFormat = 'g17' | 'shortest';

export function formatScore(score: number, format: ScoreFormat): string {
  if (Number.isNaN(score)) return 'nan';
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return format === 'g17' ? formatG17(score) : formatShortest(score);
}

/** printf("%.17g"). */
export function formatG17(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, expText] = x.toExponential(16).split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 17) {
    const frac = digits.slice(1).replace(/0+$/, '');
    const expAbs = Math.abs(exp);
    out = `${digits[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${expAbs < 10 ? `0${expAbs}` : expAbs}`;
  } else if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1);
    const frac = digits.slice(exp + 1).replace(/0+$/, '');
    out = frac ? `${intPart}.${frac}` : intPart;
  } else {
    const frac = ('0'.repeat(-exp - 1) + digits).replace(/0+$/, '');
    out = `0.${frac}`;
  }
  return negative ? `-${out}` : out;
}

/** Redis 7.2+ d2string: integers in the long long range as integers, else the shortest round-trip form. */
export function formatShortest(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const limit = 2 ** 62; // (double)(LLONG_MAX / 2), as Redis's double2ll compares
  if (Number.isInteger(x) && x >= -limit && x <= limit) return BigInt(x).toString();
  const [mantissa, expText] = x.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const ndigits = digits.length;
  const point = Number(expText); // exponent of the first digit
  const K = point - (ndigits - 1); // exponent of the last digit
  const exp = Math.abs(point);
  let out: string;
  if (K >= 0 && exp < ndigits + 7) {
    out = digits + '0'.repeat(K);
  } else if (K < 0 && (K > -7 || exp < 4)) {
    const offset = ndigits + K;
    out = offset <= 0 ? `0.${'0'.repeat(-offset)}${digits}` : `${digits.slice(0, offset)}.${digits.slice(offset)}`;
  } else {
    const frac = digits.slice(1, 18 - (negative ? 1 : 0));
    out = `${digits[0]}${frac ? `.${frac}` : ''}e${point < 0 ? '-' : '+'}${exp}`;
  }
  return negative ? `-${out}` : out;
}

/** Picks the format of the server that wrote the file (from its aux fields), falling back on the RDB version. */
export function scoreFormatFor(server: 'redis' | 'valkey', version: string | null, rdbVersion: number): ScoreFormat {
  if (server === 'valkey') return 'shortest';
  if (version !== null) {
    const [major, minor] = version.split('.').map(Number);
    if (Number.isFinite(major) && Number.isFinite(minor)) return major > 7 || (major === 7 && minor >= 2) ? 'shortest' : 'g17';
  }
  return rdbVersion >= 11 ? 'shortest' : 'g17';
}
