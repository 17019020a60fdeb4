/**
 * Loading the configuration file named by the CDK context value `config`
 * (`npx cdk synth -c config=config/prod.json`; default config/example.json).
 *
 * JSON (`.json`) or YAML (`.yaml`, `.yml`: the YAML 1.2 core schema, so a date stays a
 * string and the same JSON schema applies); either way the file is checked against
 * config.schema.json and the semantic rules, and errors name the file and the field.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml';
import { resolveConfig } from './defaults';
import { ResolvedConfig } from './types';
import { ConfigError, validateConfig } from './validate';

export const DEFAULT_CONFIG_FILE = 'config/example.json';
/** The CDK context key naming the file. */
export const CONFIG_CONTEXT_KEY = 'config';

const isYaml = (file: string): boolean => ['.yaml', '.yml'].includes(extname(file).toLowerCase());

/** Parses the text of a config file (YAML for .yaml/.yml, else JSON), reporting syntax errors with the file name and where. */
export function parseConfigText(text: string, file: string): unknown {
  if (isYaml(file)) {
    try {
      return loadYaml(text, { filename: file, schema: CORE_SCHEMA });
    } catch (e) {
      if (!(e instanceof YAMLException)) throw e;
      const at = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
      throw new ConfigError(file, [{ path: '', message: `is not valid YAML${at}: ${e.reason}` }]);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `is not valid JSON: ${(e as Error).message}` }]);
  }
}

/** Reads, validates and resolves (defaults applied) a config file. Paths are relative to `cwd`. */
export function loadConfig(file: string, cwd = process.cwd()): ResolvedConfig {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); name the file with -c ${CONFIG_CONTEXT_KEY}=path/to/config.json (or .yaml)` }]);
  }
  return resolveConfig(validateConfig(parseConfigText(text, file), file));
}
