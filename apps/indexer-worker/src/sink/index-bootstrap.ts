import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '@nova/logger';
import { MAPPINGS, concreteIndexName, indexSettings, type SearchEntity } from '@nova/search-index';
import { toSinkError } from './elasticsearch-sink';

export interface IndexBootstrapOptions {
  aliases: Record<SearchEntity, string>;
  refreshInterval: string;
}

/**
 * Makes sure each alias exists. If neither the alias nor an index of that name exists, creates the versioned
 * concrete index (`nova_messages_v1`) with the explicit mappings and settings and the alias pointing at it, in one
 * request. An existing alias or index is left as it is (a reindex to `_v2` is an operator's decision).
 */
export async function ensureIndices(client: Client, options: IndexBootstrapOptions, logger: Logger): Promise<void> {
  for (const entity of ['message', 'post'] as const) {
    const alias = options.aliases[entity];
    try {
      if (await client.indices.exists({ index: alias })) {
        logger.debug('Index exists', { index: alias });
        continue;
      }
      const index = concreteIndexName(alias);
      await client.indices.create({
        index,
        settings: indexSettings({ refreshInterval: options.refreshInterval }),
        mappings: MAPPINGS[entity] as never,
        aliases: { [alias]: { is_write_index: true } },
      });
      logger.info('Created index behind alias', { index, alias, refreshInterval: options.refreshInterval });
    } catch (err) {
      const e = err as { meta?: { body?: { error?: { type?: string } } } };
      // Another worker created it between our check and our create.
      if (e.meta?.body?.error?.type === 'resource_already_exists_exception') continue;
      throw toSinkError(err);
    }
  }
}
