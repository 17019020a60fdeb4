/** The part of js-yaml 4 (which ships no type declarations) that the configuration loader uses. */
declare module 'js-yaml' {
  export class Schema {
    private constructor();
  }
  /** YAML 1.2 core schema: strings, numbers, booleans, null, maps and sequences; no dates, no binary. */
  export const CORE_SCHEMA: Schema;
  export interface LoadOptions {
    /** Named in error messages. */
    filename?: string;
    schema?: Schema;
  }
  export function load(input: string, options?: LoadOptions): unknown;
  export interface DumpOptions {
    schema?: Schema;
    lineWidth?: number;
  }
  export function dump(value: unknown, options?: DumpOptions): string;
  export class YAMLException extends Error {
    readonly reason: string;
    readonly mark?: { name?: string | null; line: number; column: number };
  }
}
