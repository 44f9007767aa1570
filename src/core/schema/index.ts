/**
 * One schema per data shape (chorus.config.json and the settings, the dashboard's messages, the
 * emulator's config, the findings tool). Each shape is a TypeBox schema: its TypeScript type is
 * `Static<typeof Schema>`, its runtime check is `Value.Check` (interpreted, no `new Function`, so
 * it runs under the webview's CSP too), and its JSON Schema is the same object, written out by
 * `toJsonSchema` for the model's tool and for package.json.
 *
 * Error wording stays each shape's own: a schema node may carry the words for "what was expected"
 * under the EXPECTED symbol. Symbols never reach JSON, so annotations meant for people do not leak
 * into the schema a model or VS Code sees.
 */
import {
  Array as ArrayOf, Boolean as BooleanOf, Integer, Kind, Literal, Null, Number as NumberOf, Object as ObjectOf, Optional,
  type SchemaOptions, String as StringOf, type TSchema, type TUnsafe, TypeRegistry, Union, Unsafe,
} from '@sinclair/typebox';
import { Errors, type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Check, Clean, Clone } from '@sinclair/typebox/value';

/**
 * The TypeBox builders and value functions the shapes use, by name rather than TypeBox's `Type` and
 * `Value` namespaces, which hold every builder and function there is: the dashboard's bundle then
 * carries only these (about a third of the library).
 */
export const Type = { Array: ArrayOf, Boolean: BooleanOf, Integer, Literal, Null, Number: NumberOf, Object: ObjectOf, Optional, String: StringOf, Union, Unsafe };
export const Value = { Check, Clean, Clone, Errors: (schema: TSchema, value: unknown) => Errors(schema, value) };

/** What an error says was expected at this node (e.g. "a positive number"). */
export const EXPECTED = Symbol.for('chorus.schema.expected');

/** Options of a schema node plus the words an error uses for it. */
export type Annotated = SchemaOptions & { [EXPECTED]?: string };

TypeRegistry.Set<{ enum: readonly string[] }>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));

/** `{ type: 'string', enum: [...] }`: the form VS Code's settings editor and models understand. */
export function StringEnum<const T extends readonly string[]>(values: T, options: Annotated = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: 'StringEnum', type: 'string', enum: [...values] });
}

/** Shorthand: the options object with the error wording attached. */
export function expecting(expected: string, options: SchemaOptions = {}): Annotated {
  return { ...options, [EXPECTED]: expected };
}

export interface SchemaIssue {
  /** `models[1].tokensPerMinute`; '' for the value itself. */
  path: string;
  /** The node's EXPECTED words, or a description made from the schema. */
  expected: string;
  got: unknown;
  /** The field is not in the schema (`additionalProperties: false`). */
  unknownField?: { known: string[] };
}

/** The first thing wrong with `value` against `schema`, or undefined when it matches. */
export function firstIssue(schema: TSchema, value: unknown): SchemaIssue | undefined {
  if (Value.Check(schema, value)) return undefined;
  const first = Value.Errors(schema, value).First();
  if (!first) return undefined;
  const error = insideUnion(first);
  const path = formatPath(error.path, value);
  const node = error.schema as TSchema & { [EXPECTED]?: string };
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const known = Object.keys((node as { properties?: object }).properties ?? {});
    return { path, expected: `a known field (${known.join(', ')})`, got: error.value, unknownField: { known } };
  }
  return { path, expected: node[EXPECTED] ?? describeSchema(node), got: error.value };
}

/**
 * For `RunInfo | null` given an object with a bad field, "run.state: expected one of …" says more
 * than "run: expected an object or null": follow the variant that got past the value's own type.
 */
function insideUnion(error: ValueError): ValueError {
  if (error.type !== ValueErrorType.Union) return error;
  for (const variant of error.errors) {
    const inner = variant.First();
    if (inner && inner.path.length > error.path.length) return insideUnion(inner);
  }
  return error;
}

/** JSON pointer → `a.b[2].c`: array indices in brackets, as people write them. */
export function formatPath(pointer: string, root: unknown): string {
  if (pointer === '') return '';
  let out = '';
  let at: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += Array.isArray(at) ? `[${key}]` : out === '' ? key : `.${key}`;
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

/** Words for a node without EXPECTED, from its JSON Schema keywords. */
export function describeSchema(schema: TSchema): string {
  const s = schema as { enum?: unknown[]; const?: unknown; type?: string; minLength?: number; minimum?: number; maximum?: number; exclusiveMinimum?: number; maxItems?: number };
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  switch (s.type) {
    case 'string':
      return s.minLength === 1 ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'number': {
      const kind = s.type === 'integer' ? 'an integer' : 'a number';
      if (s.exclusiveMinimum === 0) return `a positive ${s.type}`;
      if (s.minimum !== undefined && s.maximum !== undefined) return `${kind} from ${s.minimum} to ${s.maximum}`;
      if (s.minimum !== undefined) return `${kind} ≥ ${s.minimum}`;
      return kind;
    }
    case 'array':
      return s.maxItems !== undefined ? `an array of at most ${s.maxItems}` : 'an array';
    case 'object':
      return 'an object';
    case 'null':
      return 'null';
  }
  return 'a valid value';
}

/**
 * A copy of a value that already passed `Check(schema, value)`, keeping only the fields the schema
 * names: what `Clean(schema, Clone(value))` gives, in one pass and without the second round of
 * checks Clean makes to pick a union's variant (the dashboard's 900-frame backlog is copied this way).
 * Unions here are "a schema or null" and string enums, which need no choosing.
 */
export function project<T>(schema: TSchema, value: T): T {
  return projectorOf(schema)(value) as T;
}

type Projector = (value: unknown) => unknown;
const projectors = new WeakMap<TSchema, Projector>();

/** One closure per schema node, made once: the walk then does no schema lookups per value. */
function projectorOf(schema: TSchema): Projector {
  let projector = projectors.get(schema);
  if (!projector) {
    projector = makeProjector(schema);
    projectors.set(schema, projector);
  }
  return projector;
}

function makeProjector(schema: TSchema): Projector {
  const s = schema as { type?: string; items?: TSchema; anyOf?: TSchema[]; properties?: Record<string, TSchema> };
  if (s.anyOf) {
    const objects = s.anyOf.filter((v) => ['object', 'array'].includes((v as { type?: string }).type ?? ''));
    if (objects.length !== 1) return (v) => (v !== null && typeof v === 'object' ? Clean(schema, Clone(v)) : v);
    const inner = projectorOf(objects[0]!);
    return (v) => (v !== null && typeof v === 'object' ? inner(v) : v);
  }
  if (s.type === 'array' && s.items) {
    const item = projectorOf(s.items);
    return (v) => (Array.isArray(v) ? v.map(item) : v);
  }
  if (s.type === 'object' && s.properties) {
    const fields = Object.entries(s.properties).map(([key, child]) => [key, projectorOf(child)] as const);
    return (v) => {
      if (v === null || typeof v !== 'object') return v;
      const source = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, child] of fields) {
        const field = source[key];
        if (field !== undefined) out[key] = child(field);
      }
      return out;
    };
  }
  return (v) => (v !== null && typeof v === 'object' ? Clone(v) : v);
}

/** JSON keys that describe children: written after a node's own keywords, as people read a schema. */
const CHILD_KEYS = ['required', 'properties', 'items'];

/**
 * The plain JSON Schema of `schema`: TypeBox's symbols (and EXPECTED) dropped, `type` first and the
 * children last, so the text a model or package.json sees is stable and reads top-down.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Record<string, unknown>;
  const keys = Object.keys(source);
  const ordered = [
    ...keys.filter((k) => k === 'type'),
    ...keys.filter((k) => k !== 'type' && !CHILD_KEYS.includes(k)),
    ...CHILD_KEYS.filter((k) => keys.includes(k)),
  ];
  const out: Record<string, unknown> = {};
  for (const key of ordered) {
    const value = source[key];
    out[key] = key === 'properties' && value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]))
      : toJsonSchema(value);
  }
  return out;
}

export { type Static, type TSchema } from '@sinclair/typebox';
export { ValueErrorType } from '@sinclair/typebox/errors';
