// JSON Schema checking for what plugins declare (settings, task fields, route
// inputs): Ajv in strict mode, so a schema with a typo is refused at boot
// rather than silently accepting anything.

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FieldProblem as Problem } from '../errors.js';
import type { JsonSchema } from './sdk.js';

function createAjv(coerce: boolean): Ajv2020 {
  // useDefaults fills declared defaults in, so stored settings say what the plugin will see.
  const ajv = new Ajv2020({ strict: true, allErrors: true, useDefaults: true, coerceTypes: coerce ? 'array' : false });
  addFormats.default(ajv);
  return ajv;
}

const exact = createAjv(false);
// Query strings arrive as text: "5" is read as the number a schema asks for.
const coercing = createAjv(true);

export type Check = ValidateFunction;

/** Compiles a schema; throws with Ajv's reason when it is not a valid JSON Schema. */
export function compileSchema(schema: JsonSchema, options: { coerce?: boolean } = {}): Check {
  return (options.coerce ? coercing : exact).compile(schema);
}

/** The failures of the last check, as the API's `details` under `base` (e.g. settings.greeting). */
export function problemsOf(check: Check, base: string): Problem[] {
  return (check.errors ?? []).map((error) => ({ path: pathOf(error, base), message: error.message ?? 'is not valid' }));
}

function pathOf(error: ErrorObject, base: string): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') segments.push(String((error.params as { additionalProperty?: unknown }).additionalProperty));
  if (error.keyword === 'required') segments.push(String((error.params as { missingProperty?: unknown }).missingProperty));
  return [base, ...segments].filter(Boolean).join('.');
}
