/**
 * The string formats manifest.schema.json uses, for its validator (compiled ahead of time
 * into manifest-validator.generated.ts, which loads this module by name).
 */
export const formats = {
  /** An ISO 8601 timestamp with a date part, as Date.parse reads it. */
  'date-time': (s: string): boolean => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s),
};
