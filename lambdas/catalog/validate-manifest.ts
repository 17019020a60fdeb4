import Ajv2020 from 'ajv/dist/2020';
import { AofSnapshotManifest } from './aof-manifest';
import { CatalogError } from './errors';
import { SnapshotManifest } from './manifest';
import schema from './manifest.schema.json';
import { AnySnapshotManifest } from './snapshot-kind';

// The validator checks one manifest per run, so its code is not optimised: compiling the schema
// then costs about 20 ms and 7 MB less at start-up, which every command pays.
const ajv = new Ajv2020({ allErrors: true, strict: true, code: { optimize: false } });
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s));
const check = ajv.compile<AnySnapshotManifest>(schema);

/** Checks a parsed manifest of either kind against manifest.schema.json; throws CatalogError CATALOG_BAD_MANIFEST naming every problem. */
export function validateSnapshotManifest(value: unknown, where: string): AnySnapshotManifest {
  if (check(value)) return value;
  const problems = (check.errors ?? [])
    // The if/then/else branch errors repeat what the branch's own errors say.
    .filter((e) => e.keyword !== 'if')
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
  throw new CatalogError('CATALOG_BAD_MANIFEST', `The manifest ${where} does not match the manifest schema: ${problems}`, { where });
}

/** Checks an RDB snapshot's manifest (kind rdb); an AOF manifest is CATALOG_BAD_MANIFEST here. */
export function validateManifest(value: unknown, where: string): SnapshotManifest {
  const m = validateSnapshotManifest(value, where);
  if (m.kind === 'rdb') return m;
  throw new CatalogError('CATALOG_BAD_MANIFEST', `The manifest ${where} is of kind ${m.kind}, where an RDB snapshot's (kind rdb) was expected`, { where });
}

/** Checks an AOF snapshot's manifest (kind aof). */
export function validateAofManifest(value: unknown, where: string): AofSnapshotManifest {
  const m = validateSnapshotManifest(value, where);
  if (m.kind === 'aof') return m;
  throw new CatalogError('CATALOG_BAD_MANIFEST', `The manifest ${where} is of kind ${m.kind}, where an AOF snapshot's (kind aof) was expected`, { where });
}

/** Parses and validates manifest bytes (either kind). */
export function parseManifest(bytes: Buffer, where: string): AnySnapshotManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new CatalogError('CATALOG_BAD_MANIFEST', `The manifest ${where} is not valid JSON: ${(e as Error).message}`, { where });
  }
  return validateSnapshotManifest(value, where);
}
