import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_VALIDATOR, manifestValidatorSource } from '../../lambdas/catalog/manifest-validator-source';

/**
 * The manifest validator is ajv's code compiled ahead of time from manifest.schema.json:
 * it must be what the schema compiles to now. UPDATE_GENERATED=1 (npm run gen:validator)
 * writes it again instead of failing.
 */
test('the generated manifest validator is current with manifest.schema.json', () => {
  const path = join(__dirname, '..', '..', GENERATED_VALIDATOR);
  const expected = manifestValidatorSource();
  if (process.env.UPDATE_GENERATED === '1') writeFileSync(path, expected);
  const actual = readFileSync(path, 'utf8');
  // A plain boolean first: a diff of two 100 KB modules says less than the fix.
  if (actual !== expected) throw new Error(`${GENERATED_VALIDATOR} is stale: run npm run gen:validator and commit it`);
  expect(actual).toBe(expected);
});
