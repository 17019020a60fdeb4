import { formatRetentionPolicy, parseRetentionPolicy, RetentionError, validateRetentionPolicy } from '../../lambdas/retention';
import { retentionError } from './errors';

describe('validateRetentionPolicy', () => {
  it('accepts every field and returns a clean copy without unset ones', () => {
    const input = { keepLast: 7, hourly: 0, daily: 14, weekly: 8, monthly: 12, yearly: 3, minAgeDays: 1 };
    expect(validateRetentionPolicy(input)).toEqual(input);
    const withUndefined = validateRetentionPolicy({ daily: 3, weekly: undefined });
    expect(withUndefined).toEqual({ daily: 3 });
    expect(Object.keys(withUndefined)).toEqual(['daily']);
  });

  it('returns a copy, not the input', () => {
    const input = { keepLast: 2 };
    const policy = validateRetentionPolicy(input);
    expect(policy).not.toBe(input);
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'daily=3'],
    ['a number', 7],
    ['undefined', undefined],
  ])('rejects %s', (_what, input) => {
    const err = retentionError(() => validateRetentionPolicy(input));
    expect(err).toBeInstanceOf(RetentionError);
    expect(err.code).toBe('RETENTION_INVALID_POLICY');
    expect(err.message).toMatch(/expected an object/);
  });

  it.each([
    ['keepLast', -1, /keepLast must be a non-negative integer, got -1/],
    ['daily', 1.5, /daily must be a non-negative integer, got 1\.5/],
    ['weekly', Number.NaN, /weekly must be a non-negative integer, got NaN/],
    ['monthly', Number.POSITIVE_INFINITY, /monthly must be a non-negative integer, got Infinity/],
    ['yearly', '3', /yearly must be a non-negative integer, got "3"/],
    ['hourly', null, /hourly must be a non-negative integer, got null/],
    ['minAgeDays', -2, /minAgeDays must be a non-negative integer, got -2/],
    ['daily', 2 ** 53, /daily must be a non-negative integer/],
    ['daily', true, /daily must be a non-negative integer, got true/],
    ['daily', { n: 1 }, /daily must be a non-negative integer, got an object/],
  ])('names the field: %s = %p', (field, value, message) => {
    const err = retentionError(() => validateRetentionPolicy({ keepLast: 1, [field]: value }));
    expect(err.code).toBe('RETENTION_INVALID_POLICY');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('rejects unknown fields, naming them (catches typos)', () => {
    const err = retentionError(() => validateRetentionPolicy({ daily: 1, keeplast: 3 }));
    expect(err.code).toBe('RETENTION_INVALID_POLICY');
    expect(err.field).toBe('keeplast');
    expect(err.message).toMatch(/unknown field "keeplast"/);
    expect(err.message).toMatch(/keepLast/);
  });

  it.each([
    ['an empty policy', {}],
    ['only minAgeDays', { minAgeDays: 30 }],
    ['only zero counts', { keepLast: 0, daily: 0, yearly: 0 }],
  ])('requires at least one keep rule: %s', (_what, input) => {
    const err = retentionError(() => validateRetentionPolicy(input));
    expect(err.code).toBe('RETENTION_INVALID_POLICY');
    expect(err.field).toBeUndefined();
    expect(err.message).toMatch(/no keep rule/);
  });

  it.each(['keepLast', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'])('%s alone is a keep rule', (field) => {
    expect(validateRetentionPolicy({ [field]: 1 })).toEqual({ [field]: 1 });
  });
});

describe('parseRetentionPolicy', () => {
  it('parses the compact CLI form', () => {
    expect(parseRetentionPolicy('last=7,daily=14,weekly=8,monthly=12,yearly=3,min-age-days=1')).toEqual({
      keepLast: 7,
      daily: 14,
      weekly: 8,
      monthly: 12,
      yearly: 3,
      minAgeDays: 1,
    });
    expect(parseRetentionPolicy('hourly=24')).toEqual({ hourly: 24 });
  });

  it('allows spaces around items and any letter case in rule names', () => {
    expect(parseRetentionPolicy(' Daily = 3 , WEEKLY=2,  min-age-days=0 ')).toEqual({ daily: 3, weekly: 2, minAgeDays: 0 });
  });

  it('accepts rules in any order', () => {
    expect(parseRetentionPolicy('yearly=1,last=2')).toEqual({ yearly: 1, keepLast: 2 });
  });

  it.each([
    ['', undefined, /empty; expected rules like last=7/],
    ['   ', undefined, /empty/],
    ['daily', 'daily', /"daily" is not rule=count/],
    ['daily=', 'daily', /daily must be a non-negative integer, got ""/],
    ['daily=-1', 'daily', /daily must be a non-negative integer, got "-1"/],
    ['daily=1.5', 'daily', /got "1\.5"/],
    ['daily=0x10', 'daily', /got "0x10"/],
    ['daily=1e3', 'daily', /got "1e3"/],
    ['daily=+3', 'daily', /got "\+3"/],
    ['daily=99999999999999999999', 'daily', /got "99999999999999999999"/],
    ['keep-daily=3', 'keep-daily', /unknown rule "keep-daily" \(known: last, hourly, daily, weekly, monthly, yearly, min-age-days\)/],
    ['keepLast=3', 'keeplast', /unknown rule "keeplast"/],
    ['daily=1,Daily=2', 'daily', /daily is given more than once/],
    ['daily=1,,weekly=2', undefined, /empty rule at position 2/],
    ['daily=1,', undefined, /empty rule at position 2/],
    ['min-age-days=3', undefined, /no keep rule: set at least one of last, hourly, daily, weekly, monthly, yearly to 1 or more/],
    ['last=0,daily=0', undefined, /no keep rule/],
  ])('rejects %p', (text, field, message) => {
    const err = retentionError(() => parseRetentionPolicy(text));
    expect(err.code).toBe('RETENTION_INVALID_POLICY');
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('round-trips through formatRetentionPolicy in canonical order', () => {
    const text = 'min-age-days=1,yearly=3,last=7,weekly=8,daily=14,monthly=12,hourly=0';
    const formatted = formatRetentionPolicy(parseRetentionPolicy(text));
    expect(formatted).toBe('last=7,hourly=0,daily=14,weekly=8,monthly=12,yearly=3,min-age-days=1');
    expect(parseRetentionPolicy(formatted)).toEqual(parseRetentionPolicy(text));
  });
});
