import { EsError } from '../http/es-error';
import { IndexStore } from './index-store';

export interface AliasAction {
  type: 'add' | 'remove' | 'remove_index';
  indices: string[];
  aliases: string[];
  isWriteIndex?: boolean;
  mustExist?: boolean;
}

/** All indices and aliases of the node. Alias changes are validated in full, then applied at once (atomic). */
export class Cluster {
  readonly indices = new Map<string, IndexStore>();
  /** alias -> index -> is_write_index (undefined when not set). */
  readonly aliases = new Map<string, Map<string, boolean | undefined>>();

  createIndex(name: string, body: { settings?: Record<string, unknown>; mappings?: Record<string, unknown>; aliases?: Record<string, unknown> }): IndexStore {
    validateIndexName(name);
    if (this.indices.has(name)) {
      const existing = this.indices.get(name)!;
      throw new EsError(400, 'resource_already_exists_exception', `index [${name}/${existing.uuid}] already exists`, { index_uuid: existing.uuid, index: name });
    }
    if (this.aliases.has(name)) throw new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], already exists as alias`, { index_uuid: '_na_', index: name });
    for (const key of Object.keys(body)) {
      if (!['settings', 'mappings', 'aliases'].includes(key)) throw EsError.parsing(`unknown key [${key}] for create index`);
    }
    const store = new IndexStore(name, body);
    this.indices.set(name, store);
    if (body.aliases) {
      for (const [alias, def] of Object.entries(body.aliases)) {
        const opts = (def ?? {}) as Record<string, unknown>;
        for (const k of Object.keys(opts)) if (k !== 'is_write_index') throw EsError.unsupported(`alias option [${k}]`);
        this.updateAliases([{ type: 'add', indices: [name], aliases: [alias], isWriteIndex: opts.is_write_index as boolean | undefined }]);
      }
    }
    return store;
  }

  deleteIndices(names: string[]): void {
    for (const name of names) {
      if (!this.indices.has(name)) {
        if (this.aliases.has(name)) {
          throw EsError.badRequest(`The provided expression [${name}] matches an alias, specify the corresponding concrete indices instead.`);
        }
      }
    }
    for (const name of names) {
      this.indices.get(name)?.close();
      this.indices.delete(name);
      for (const [alias, members] of this.aliases) {
        members.delete(name);
        if (members.size === 0) this.aliases.delete(alias);
      }
    }
  }

  /** Concrete indices for a comma-separated expression of names, aliases and `*` patterns (`_all` = all). */
  resolve(expression: string, options: { allowNoIndices?: boolean } = {}): IndexStore[] {
    const result = new Map<string, IndexStore>();
    const parts = expression === '' || expression === '_all' ? ['*'] : expression.split(',');
    for (const part of parts) {
      if (part.includes('*')) {
        const re = new RegExp(`^${part.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
        for (const [name, store] of this.indices) if (re.test(name) && !name.startsWith('.')) result.set(name, store);
        for (const [alias, members] of this.aliases) if (re.test(alias)) for (const m of members.keys()) result.set(m, this.indices.get(m)!);
        continue;
      }
      const store = this.indices.get(part);
      if (store) {
        result.set(part, store);
        continue;
      }
      const members = this.aliases.get(part);
      if (!members) throw EsError.indexNotFound(part);
      for (const m of members.keys()) result.set(m, this.indices.get(m)!);
    }
    if (result.size === 0 && options.allowNoIndices === false) throw EsError.indexNotFound(expression);
    return [...result.values()];
  }

  /** The index a write to `name` goes to: the index itself, or the alias's single / write index. */
  writeIndex(name: string): IndexStore | undefined {
    const store = this.indices.get(name);
    if (store) return store;
    const members = this.aliases.get(name);
    if (!members) return undefined;
    // The one member marked is_write_index, else the only member unless it is marked false. Without arrays: this
    // runs for every document written through an alias.
    let explicit: string | undefined;
    let explicitCount = 0;
    let only: string | undefined;
    for (const [member, isWrite] of members) {
      if (isWrite === true) {
        explicit = member;
        explicitCount++;
      }
      if (members.size === 1 && isWrite !== false) only = member;
    }
    const target = explicitCount === 1 ? explicit : only;
    if (!target) {
      throw EsError.badRequest(`no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`);
    }
    return this.indices.get(target);
  }

  updateAliases(actions: AliasAction[]): void {
    const next = new Map([...this.aliases].map(([a, m]) => [a, new Map(m)]));
    const deleteIndices: string[] = [];
    const expand = (patterns: string[]) =>
      patterns.flatMap((p) => {
        if (p.includes('*')) {
          const re = new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
          return [...this.indices.keys()].filter((n) => re.test(n));
        }
        if (!this.indices.has(p)) throw EsError.indexNotFound(p);
        return [p];
      });
    for (const action of actions) {
      const indices = expand(action.indices);
      if (action.type === 'remove_index') {
        deleteIndices.push(...indices);
        continue;
      }
      for (const alias of action.aliases) {
        if (action.type === 'add') {
          if (this.indices.has(alias)) {
            throw new EsError(400, 'invalid_alias_name_exception', `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`, { index_uuid: '_na_', index: alias });
          }
          const members = next.get(alias) ?? new Map<string, boolean | undefined>();
          for (const i of indices) members.set(i, action.isWriteIndex);
          next.set(alias, members);
        } else {
          const members = next.get(alias);
          const present = indices.filter((i) => members?.has(i));
          if (present.length === 0 && action.mustExist !== false && !alias.includes('*')) {
            throw new EsError(404, 'aliases_not_found_exception', `aliases [${alias}] missing`, { 'resource.type': 'aliases', 'resource.id': alias });
          }
          for (const i of present) members!.delete(i);
          if (members && members.size === 0) next.delete(alias);
        }
      }
    }
    for (const [alias, members] of next) {
      if ([...members.values()].filter((w) => w === true).length > 1) {
        throw EsError.badRequest(`alias [${alias}] has more than one write index [${[...members].filter(([, w]) => w).map(([m]) => m).join(',')}]`);
      }
    }
    this.aliases.clear();
    for (const [a, m] of next) this.aliases.set(a, m);
    if (deleteIndices.length > 0) this.deleteIndices(deleteIndices);
  }

  aliasesOf(index: string): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [alias, members] of this.aliases) {
      if (members.has(index)) {
        const w = members.get(index);
        out[alias] = w === undefined ? {} : { is_write_index: w };
      }
    }
    return out;
  }
}

export function validateIndexName(name: string): void {
  const bad = (why: string) => new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, { index_uuid: '_na_', index: name });
  if (name !== name.toLowerCase()) throw bad('must be lowercase');
  if (/^[-_+]/.test(name)) throw bad("must not start with '_', '-', or '+'");
  if (/[\\/*?"<>| ,#:]/.test(name)) throw bad('must not contain the following characters [\'\\\', \'/\', \'*\', \'?\', \'"\', \'<\', \'>\', \'|\', \' \', \',\']');
  if (name === '.' || name === '..') throw bad('must not be \'.\' or \'..\'');
  if (Buffer.byteLength(name) > 255) throw bad('index name is too long, (' + Buffer.byteLength(name) + ' > 255)');
}
