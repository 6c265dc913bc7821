// A plugin's settings as a form generated from its JSON Schema (settingsSchema
// of GET /api/plugins), for the common case: an object whose properties are
// strings, numbers, integers, booleans or enums (a select). Anything a row of
// inputs cannot edit faithfully (nested objects, arrays, unions, properties that
// depend on each other, keys of the plugin's choosing) is edited as the whole
// settings object in JSON instead. Constraints become input attributes, for
// hints and assistive technology; the form is sent with novalidate, so the
// server is the one that checks and says what is wrong, field by field.

import { html, nothing } from '../src/index.js';

type Json = Record<string, unknown>;
type Scalar = string | number | boolean;

export interface Field {
  /** The key in the settings object. */
  name: string;
  control: 'text' | 'number' | 'checkbox' | 'select';
  schema: Json;
  /** A select's values, in the schema's order. */
  choices: Scalar[];
  /** A select without a default that may be left out offers "not set". */
  unset: boolean;
}

/** The name of the JSON editor's textarea, and the key its problems go under. */
export const JSON_FIELD = 'settings';

/** Keywords that tie values together or describe shapes one input cannot hold. */
const COMPOSED = ['allOf', 'anyOf', 'oneOf', 'not', 'if', '$ref', 'dependentSchemas', 'dependentRequired', 'patternProperties', 'propertyNames', 'unevaluatedProperties', 'minProperties', 'maxProperties'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is Scalar => ['string', 'number', 'boolean'].includes(typeof value);
const numberAttr = (value: unknown) => (typeof value === 'number' ? String(value) : nothing);

/** The form's fields (none: the plugin has no settings), or null when the schema needs the JSON editor. */
export function fieldsOf(schema: Json): Field[] | null {
  const properties = schema.properties ?? {};
  if ((schema.type ?? 'object') !== 'object' || !isObject(properties) || COMPOSED.some((k) => k in schema)) return null;
  // Keys the plugin lets the admin choose can only be added in JSON.
  if (isObject(schema.additionalProperties) || (schema.additionalProperties !== false && !Object.keys(properties).length)) return null;
  const required = Array.isArray(schema.required) ? schema.required : [];
  const fields = Object.entries(properties).map(([name, property]) => fieldOf(name, property, required.includes(name)));
  return fields.every((f) => f !== null) ? fields : null;
}

function fieldOf(name: string, schema: unknown, required: boolean): Field | null {
  if (!isObject(schema) || COMPOSED.some((k) => k in schema)) return null;
  if ('enum' in schema) {
    const choices = schema.enum;
    if (!Array.isArray(choices) || !choices.length || !choices.every(isScalar)) return null;
    return { name, control: 'select', schema, choices, unset: !required && !('default' in schema) };
  }
  const control = ({ string: 'text', integer: 'number', number: 'number', boolean: 'checkbox' } as const)[String(schema.type) as 'string'];
  return control ? { name, control, schema, choices: [], unset: false } : null;
}

/** What a field shows: the stored value, else the schema's default. */
const shown = (field: Field, settings: Json | null): unknown => (settings && field.name in settings ? settings[field.name] : field.schema.default);

/** The inputs, labelled and described; `problems` by field name, `id` unique in the shadow root. */
export function renderFields(fields: Field[], settings: Json | null, problems: Record<string, string>, id: string) {
  return fields.map((field, i) => {
    const key = `${id}-${i}`;
    const { schema, name } = field;
    const value = shown(field, settings);
    const problem = problems[name];
    const description = typeof schema.description === 'string' ? schema.description : '';
    const describedBy = [description ? `${key}-hint` : '', problem ? `${key}-error` : ''].filter(Boolean).join(' ') || nothing;
    const invalid = problem ? 'true' : 'false';
    const label = typeof schema.title === 'string' ? schema.title : name;
    const control =
      field.control === 'checkbox'
        ? html`<label class="check"><input id=${key} name=${name} type="checkbox" .checked=${value === true} aria-invalid=${invalid} aria-describedby=${describedBy} /> ${label}</label>`
        : html`<label for=${key}>${label}</label>
            ${field.control === 'select'
              ? html`<select id=${key} name=${name} aria-invalid=${invalid} aria-describedby=${describedBy}>
                  ${field.unset ? html`<option value="" ?selected=${value === undefined}>(not set)</option>` : nothing}
                  ${field.choices.map((choice, j) => html`<option value=${String(j)} ?selected=${choice === value}>${String(choice)}</option>`)}
                </select>`
              : field.control === 'number'
                ? html`<input id=${key} name=${name} type="number" step=${schema.type === 'integer' ? '1' : 'any'} min=${numberAttr(schema.minimum)} max=${numberAttr(schema.maximum)}
                    placeholder=${schema.default === undefined ? nothing : String(schema.default)} .value=${typeof value === 'number' ? String(value) : ''} aria-invalid=${invalid} aria-describedby=${describedBy} />`
                : html`<input id=${key} name=${name} type="text" minlength=${numberAttr(schema.minLength)} maxlength=${numberAttr(schema.maxLength)}
                    .value=${typeof value === 'string' ? value : ''} aria-invalid=${invalid} aria-describedby=${describedBy} />`}`;
    return html`<div class="field" data-field=${name}>
      ${control} ${description ? html`<small class="hint" id="${key}-hint">${description}</small>` : nothing}
      ${problem ? html`<p class="error" id="${key}-error" role="alert">${problem}</p>` : nothing}
    </div>`;
  });
}

/**
 * The settings the form says, over `stored` (keys the form does not show stay as they are). An empty number
 * or "not set" leaves its key out, so the plugin's default applies; text is sent as typed, even empty.
 * `problems` names the fields whose input is no value at all (a number input that holds no number).
 */
export function readFields(fields: Field[], form: HTMLFormElement, stored: Json | null): { settings: Json; problems: Record<string, string> } {
  const settings: Json = { ...stored };
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const input = form.elements.namedItem(field.name) as HTMLInputElement | null;
    if (!input) continue;
    if (input.validity.badInput) problems[field.name] = 'Enter a number.';
    const value =
      field.control === 'checkbox'
        ? input.checked
        : field.control === 'select'
          ? input.value === ''
            ? undefined
            : field.choices[Number(input.value)]
          : field.control === 'number'
            ? input.value === ''
              ? undefined
              : Number(input.value)
            : input.value;
    if (value === undefined) delete settings[field.name];
    else settings[field.name] = value;
  }
  return { settings, problems };
}

/** The JSON editor for the whole settings object. */
export function renderJson(settings: Json | null, problem: string | undefined, id: string) {
  return html`<div class="field" data-field=${JSON_FIELD}>
    <label for=${id}>Settings (JSON)</label>
    <textarea id=${id} name=${JSON_FIELD} rows="6" spellcheck="false" .value=${JSON.stringify(settings ?? {}, null, 2)} aria-invalid=${problem ? 'true' : 'false'} aria-describedby="${id}-hint${problem ? ` ${id}-error` : ''}"></textarea>
    <small class="hint" id="${id}-hint">These settings do not fit a simple form: edit them as one JSON object.</small>
    ${problem ? html`<p class="error" id="${id}-error" role="alert">${problem}</p>` : nothing}
  </div>`;
}

/** The JSON editor's object; throws, in words, when it holds something else. */
export function readJson(form: HTMLFormElement): Json {
  const text = (form.elements.namedItem(JSON_FIELD) as HTMLTextAreaElement).value;
  let value: unknown;
  try {
    value = JSON.parse(text || '{}');
  } catch (error) {
    throw new Error(`This is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(value)) throw new Error('The settings must be a JSON object: { … }.');
  return value;
}
