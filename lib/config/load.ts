/**
 * Loading the configuration file named by the CDK context value `config`
 * (`npx cdk synth -c config=config/prod.json`; default config/example.json).
 *
 * JSON only: no YAML parser is a dependency of this project (js-yaml and yaml are present in
 * node_modules only as other packages' dependencies, and this does not rely on them).
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { resolveConfig } from './defaults';
import { ResolvedConfig } from './types';
import { ConfigError, validateConfig } from './validate';

export const DEFAULT_CONFIG_FILE = 'config/example.json';
/** The CDK context key naming the file. */
export const CONFIG_CONTEXT_KEY = 'config';

/** Parses the text of a config file (JSON), reporting syntax errors with the file name. */
export function parseConfigText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `is not valid JSON: ${(e as Error).message}` }]);
  }
}

/** Reads, validates and resolves (defaults applied) a config file. Paths are relative to `cwd`. */
export function loadConfig(file: string, cwd = process.cwd()): ResolvedConfig {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    throw new ConfigError(file, [{ path: '', message: 'YAML is not supported (no YAML parser is a dependency of this project): write the configuration as JSON' }]);
  }
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); name the file with -c ${CONFIG_CONTEXT_KEY}=path/to/config.json` }]);
  }
  return resolveConfig(validateConfig(parseConfigText(text, file), file));
}
