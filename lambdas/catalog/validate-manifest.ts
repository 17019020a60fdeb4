import Ajv2020 from 'ajv/dist/2020';
import { CatalogError } from './errors';
import { SnapshotManifest } from './manifest';
import schema from './manifest.schema.json';

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s));
const check = ajv.compile<SnapshotManifest>(schema);

/** Checks a parsed manifest against manifest.schema.json; throws CatalogError CATALOG_BAD_MANIFEST naming every problem. */
export function validateManifest(value: unknown, where: string): SnapshotManifest {
  if (check(value)) return value;
  const problems = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
  throw new CatalogError('CATALOG_BAD_MANIFEST', `The manifest ${where} does not match the manifest schema: ${problems}`, { where });
}

/** Parses and validates manifest bytes. */
export function parseManifest(bytes: Buffer, where: string): SnapshotManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new CatalogError('CATALOG_BAD_MANIFEST', `The manifest ${where} is not valid JSON: ${(e as Error).message}`, { where });
  }
  return validateManifest(value, where);
}
