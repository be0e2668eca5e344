// A checkpoint folder's config.json: read into a typed config (errors name the file, then the field),
// and written as transformers' save_pretrained writes it.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error.js';
import { fromHfConfig, hfConfigText, type ModelConfig } from './model-config.js';

/** Reads DIR/config.json. */
export function readConfigFile(dir: string): ModelConfig {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`model folder ${dir} does not exist or is not a folder; give a checkpoint folder in the Hugging Face layout`);
  }
  const file = path.join(dir, 'config.json');
  if (!existsSync(file)) {
    throw new Error(`no config.json in ${dir}; a checkpoint folder in the Hugging Face layout holds config.json next to its weights`);
  }
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${file} is not valid JSON (${reason}); fix or replace the file`);
  }
  try {
    return fromHfConfig(json);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.field, `${file}: ${error.message}`);
    throw error;
  }
}

/** Writes DIR/config.json (the folder must exist). */
export function writeConfigFile(dir: string, config: ModelConfig): void {
  writeFileSync(path.join(dir, 'config.json'), hfConfigText(config));
}
