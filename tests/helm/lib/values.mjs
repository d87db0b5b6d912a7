// values.schema.json checks as helm runs them: over the chart's values.yaml with the user's
// values coalesced on top (maps merge, null deletes), with a draft-07 validator (ajv).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { kChartDir, kValuesDir } from './render.mjs';

export const kSchema = JSON.parse(readFileSync(path.join(kChartDir, 'values.schema.json'), 'utf8'));
export const kDefaults = YAML.parse(readFileSync(path.join(kChartDir, 'values.yaml'), 'utf8'));

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
export const validateValues = ajv.compile(kSchema);

function isMap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function coalesce(user, defaults) {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(user ?? {})) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = coalesce(value, out[key]);
    else out[key] = value;
  }
  return out;
}

// The merged values of the chart and `user`, and the schema's errors (null when valid).
export function checkValues(user) {
  const merged = coalesce(user, kDefaults);
  const valid = validateValues(merged);
  return { merged, errors: valid ? null : validateValues.errors };
}

export function valuesFiles() {
  return readdirSync(kValuesDir).filter((f) => f.endsWith('.yaml')).sort();
}
