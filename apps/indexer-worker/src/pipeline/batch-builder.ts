/** Something that will become one line pair of a bulk request, with its serialised size. */
export interface Sized {
  bytes: number;
}

export interface BatchLimits {
  maxDocs: number;
  maxBytes: number;
}

/**
 * Splits items, in order, into consecutive chunks of at most `maxDocs` items and at most `maxBytes` bytes.
 * An item larger than `maxBytes` on its own gets a chunk of its own (Elasticsearch then judges it; its
 * `http.max_content_length` is far larger than any sane bulk limit).
 */
export function buildBatches<T extends Sized>(items: readonly T[], limits: BatchLimits): T[][] {
  if (limits.maxDocs < 1 || limits.maxBytes < 1) throw new RangeError('batch limits must be positive');
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= limits.maxDocs || bytes + item.bytes > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
