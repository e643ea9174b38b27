import { EsError } from '../http/es-error';
import { LastDateCache, parseDate } from './date-format';

export type FieldType = 'text' | 'keyword' | 'date' | 'boolean' | 'long' | 'integer' | 'short' | 'byte' | 'double' | 'float' | 'object';
const NUMERIC = new Set<FieldType>(['long', 'integer', 'short', 'byte', 'double', 'float']);
const SUPPORTED_PARAMS: Record<string, string[]> = {
  text: ['type', 'analyzer', 'search_analyzer', 'fields', 'index', 'norms'],
  keyword: ['type', 'fields', 'ignore_above', 'index', 'doc_values'],
  date: ['type', 'format', 'index', 'doc_values'],
  boolean: ['type', 'index', 'doc_values'],
  numeric: ['type', 'index', 'doc_values'],
  object: ['type', 'properties', 'dynamic'],
};

export interface FieldMapping {
  /** Full path, sub-fields included: `content`, `content.cjk`. */
  path: string;
  /** Where the value is in `_source`: the path itself, or the parent's for a multi-field (`content.cjk` -> `content`). */
  sourcePath: string;
  type: FieldType;
  analyzer: string;
  searchAnalyzer: string;
  ignoreAbove: number;
  subFields: FieldMapping[];
  /** For a `date` field: its last parsed value (see `LastDateCache`). */
  dates: LastDateCache | undefined;
}

/** A document's indexable values, extracted and validated against the mapping at write time. */
export interface ParsedDoc {
  /** Text field path -> values to analyse (sub-fields listed separately). */
  text: Map<string, string[]>;
  /** Keyword / date / boolean / numeric field path -> normalised values (strings, epoch millis, booleans, numbers). */
  values: Map<string, Array<string | number | boolean>>;
}

export class Mappings {
  dynamic = 'true';
  /** Every field by full path, including sub-fields. */
  readonly fields = new Map<string, FieldMapping>();
  private properties: Record<string, unknown> = {};

  constructor(definition?: Record<string, unknown>, private readonly analyzers: Set<string> = new Set()) {
    if (definition) this.merge(definition);
  }

  /** put-mapping semantics: new fields are added; changing an existing field's type is rejected. */
  merge(definition: Record<string, unknown>): void {
    for (const key of Object.keys(definition)) {
      if (!['dynamic', 'properties', '_source', '_meta'].includes(key)) throw EsError.unsupported(`mapping parameter [${key}]`);
    }
    if (definition._source !== undefined) throw EsError.unsupported('mapping parameter [_source]');
    if (definition.dynamic !== undefined) this.dynamic = String(definition.dynamic);
    if (!['true', 'false', 'strict'].includes(this.dynamic)) throw EsError.unsupported(`dynamic [${this.dynamic}]`);
    const props = (definition.properties ?? {}) as Record<string, Record<string, unknown>>;
    this.addProperties('', props, this.properties);
  }

  toJSON(): Record<string, unknown> {
    return { ...(this.dynamic !== 'true' ? { dynamic: this.dynamic } : {}), properties: this.properties };
  }

  private addProperties(prefix: string, props: Record<string, Record<string, unknown>>, target: Record<string, unknown>): void {
    for (const [name, def] of Object.entries(props)) {
      const path = prefix + name;
      const type = (def.type ?? (def.properties ? 'object' : undefined)) as FieldType | undefined;
      if (!type) throw new EsError(400, 'mapper_parsing_exception', `No type specified for field [${name}]`);
      const existing = this.fields.get(path);
      if (existing && existing.type !== type) {
        throw EsError.badRequest(`mapper [${path}] cannot be changed from type [${existing.type}] to [${type}]`);
      }
      if (type === 'object') {
        const sub = ((target[name] as Record<string, unknown> | undefined)?.properties ?? {}) as Record<string, unknown>;
        target[name] = { properties: sub };
        this.fields.set(path, this.field(path, 'object', def));
        this.addProperties(`${path}.`, (def.properties ?? {}) as Record<string, Record<string, unknown>>, sub);
        continue;
      }
      const field = this.field(path, type, def);
      this.fields.set(path, field);
      for (const sub of field.subFields) this.fields.set(sub.path, sub);
      target[name] = def;
    }
  }

  private field(path: string, type: FieldType, def: Record<string, unknown>, sourcePath = path): FieldMapping {
    const allowed = SUPPORTED_PARAMS[NUMERIC.has(type) ? 'numeric' : type];
    if (!allowed) throw EsError.unsupported(`field type [${type}] (field [${path}])`);
    for (const key of Object.keys(def)) {
      if (!allowed.includes(key)) throw EsError.unsupported(`mapping parameter [${key}] on field [${path}]`);
    }
    const analyzer = String(def.analyzer ?? 'standard');
    const searchAnalyzer = String(def.search_analyzer ?? analyzer);
    for (const a of [analyzer, searchAnalyzer]) {
      if (type === 'text' && !this.analyzers.has(a)) {
        throw new EsError(400, 'mapper_parsing_exception', `analyzer [${a}] has not been configured in mappings`);
      }
    }
    const subDefs = (def.fields ?? {}) as Record<string, Record<string, unknown>>;
    return {
      path,
      sourcePath,
      type,
      analyzer,
      searchAnalyzer,
      ignoreAbove: typeof def.ignore_above === 'number' ? def.ignore_above : Infinity,
      subFields: Object.entries(subDefs).map(([sub, d]) => this.field(`${path}.${sub}`, String(d.type) as FieldType, d, path)),
      dates: type === 'date' ? new LastDateCache() : undefined,
    };
  }

  /** Validates a source document against the mapping (adding dynamic fields when allowed) and extracts its values. */
  parse(source: Record<string, unknown>, id: string): ParsedDoc {
    const doc: ParsedDoc = { text: new Map(), values: new Map() };
    this.walk(source, '', doc, id, this.dynamic);
    return doc;
  }

  /** Validation only (adding dynamic fields when allowed): the checks of `parse`, without collecting values. */
  validate(source: Record<string, unknown>, id: string): void {
    this.walk(source, '', undefined, id, this.dynamic);
  }

  private walk(obj: Record<string, unknown>, prefix: string, doc: ParsedDoc | undefined, id: string, dynamic: string): void {
    for (const name in obj) {
      if (!Object.hasOwn(obj, name)) continue;
      const raw = obj[name];
      if (raw === null) continue;
      const path = prefix + name;
      let field = this.fields.get(path);
      if (!field) {
        if (dynamic === 'strict') {
          throw new EsError(400, 'strict_dynamic_mapping_exception',
            `mapping set to strict, dynamic introduction of [${name}] within [${prefix ? prefix.slice(0, -1) : '_doc'}] is not allowed`);
        }
        if (dynamic === 'false') continue;
        field = this.dynamicField(path, name, raw, prefix);
        if (!field) continue;
      }
      if (!Array.isArray(raw) && field.type !== 'object') {
        // The common case, one value: no array around it.
        this.addValue(field, raw, doc, id);
        for (const sub of field.subFields) this.addValue(sub, raw, doc, id);
        continue;
      }
      const values = Array.isArray(raw) ? raw : [raw];
      if (field.type === 'object') {
        for (const v of values) {
          if (typeof v !== 'object' || v === null || Array.isArray(v)) throw parseFailure(path, 'object', v, id);
          this.walk(v as Record<string, unknown>, `${path}.`, doc, id, dynamic);
        }
        continue;
      }
      for (const v of values) {
        if (v === null) continue;
        this.addValue(field, v, doc, id);
        for (const sub of field.subFields) this.addValue(sub, v, doc, id);
      }
    }
  }

  private addValue(field: FieldMapping, v: unknown, doc: ParsedDoc | undefined, id: string): void {
    if (typeof v === 'object') throw parseFailure(field.path, field.type, v, id);
    let value: string | number | boolean;
    switch (field.type) {
      case 'text':
        if (doc) push(doc.text, field.path, String(v));
        return;
      case 'keyword':
        if (String(v).length > field.ignoreAbove) return;
        value = String(v);
        break;
      case 'date': {
        const ms = field.dates ? field.dates.parse(v) : parseDate(v);
        if (ms === null) throw parseFailure(field.path, 'date', v, id);
        value = ms;
        break;
      }
      case 'boolean':
        if (v !== true && v !== false && v !== 'true' && v !== 'false' && v !== '') throw parseFailure(field.path, 'boolean', v, id);
        value = v === true || v === 'true';
        break;
      default: {
        const n = Number(v);
        if (typeof v === 'boolean' || v === '' || !Number.isFinite(n)) throw parseFailure(field.path, field.type, v, id);
        value = ['double', 'float'].includes(field.type) ? n : Math.trunc(n);
      }
    }
    if (doc) push(doc.values, field.path, value);
  }

  /** Dynamic mapping as Elasticsearch's defaults: strings -> date (ISO) or text + `.keyword`, numbers -> long/float. */
  private dynamicField(path: string, name: string, raw: unknown, prefix: string): FieldMapping | undefined {
    const sample = Array.isArray(raw) ? raw.find((x) => x !== null) : raw;
    let def: Record<string, unknown>;
    if (sample === undefined) return undefined;
    if (typeof sample === 'string') {
      def = /^\d{4}-\d{2}-\d{2}/.test(sample) && parseDate(sample) !== null
        ? { type: 'date' }
        : { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    } else if (typeof sample === 'number') def = { type: Number.isInteger(sample) ? 'long' : 'float' };
    else if (typeof sample === 'boolean') def = { type: 'boolean' };
    else def = { properties: {} };
    const parentPath = prefix.slice(0, -1);
    let target = this.properties;
    if (parentPath) {
      for (const part of parentPath.split('.')) target = (target[part] as { properties: Record<string, unknown> }).properties;
    }
    this.addProperties(prefix, { [name]: def }, target);
    return this.fields.get(path);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function parseFailure(path: string, type: string, value: unknown, id: string): EsError {
  const preview = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const cause = type === 'date'
    ? new EsError(400, 'illegal_argument_exception', `failed to parse date field [${preview}] with format [strict_date_optional_time||epoch_millis]`)
    : new EsError(400, 'illegal_argument_exception', `Cannot parse value [${preview}] as [${type}]`);
  return new EsError(400, 'document_parsing_exception',
    `failed to parse field [${path}] of type [${type}] in document with id '${id}'. Preview of field's value: '${preview}'`, {}, cause);
}
