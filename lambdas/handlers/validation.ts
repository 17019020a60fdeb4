/** Event and body schemas, compiled with ajv for @middy/validator, and the field an error is about. */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });

export function compileSchema<T>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

/** A source or target name, as configured (and as the store's folders allow). */
export const NAME_SCHEMA = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' } as const;

/**
 * The field an ajv error is about, as a dotted path below `root` (e.g. '/body'):
 * the property at fault, the missing one, or the unexpected one.
 */
export function errorField(error: ErrorObject, root = ''): string {
  let path = error.instancePath.startsWith(root) ? error.instancePath.slice(root.length) : error.instancePath;
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (params.missingProperty !== undefined) path += `/${params.missingProperty}`;
  if (params.additionalProperty !== undefined) path += `/${params.additionalProperty}`;
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.length === 0 ? root.replace(/^\//, '') : parts.join('.');
}

/** The error to report among ajv's: the deepest one that is not an if/then or anyOf wrapper. */
export function primaryError(errors: ErrorObject[] | null | undefined): ErrorObject | undefined {
  const real = (errors ?? []).filter((e) => !['if', 'anyOf', 'oneOf'].includes(e.keyword));
  return real.sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors?.[0];
}
