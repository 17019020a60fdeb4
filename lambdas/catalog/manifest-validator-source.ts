import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import { _ } from 'ajv';
import { formats } from './manifest-formats';
import schema from './manifest.schema.json';

/** The generated validator module, relative to the repository root. */
export const GENERATED_VALIDATOR = 'lambdas/catalog/manifest-validator.generated.ts';

const HEADER = `// Generated from manifest.schema.json by ajv's standalone code: do not edit.
// test/catalog/manifest-validator.test.ts fails when it is stale; \`npm run gen:validator\` writes it again.
// Compiled ahead of time so that no command pays for compiling the schema at start-up.
/* eslint-disable */
// @ts-nocheck
`;

/**
 * The source of the manifest validator module: ajv's standalone code for
 * manifest.schema.json (all errors reported), its formats loaded from manifest-formats.
 * Used only to write and check GENERATED_VALIDATOR, never at run time.
 */
export function manifestValidatorSource(): string {
  const ajv = new Ajv2020({ allErrors: true, strict: true, code: { source: true, esm: true, lines: true, formats: _`require("./manifest-formats").formats` } });
  for (const [name, check] of Object.entries(formats)) ajv.addFormat(name, check);
  return `${HEADER}${standaloneCode(ajv, ajv.compile(schema))}\n`;
}
