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
  return [...chunkLazily(items, limits)];
}

/**
 * The chunks of `buildBatches`, one at a time: pulls from `items` only as far as the chunk it yields needs (a chunk
 * closed by size also pulled the item that did not fit, kept for the next chunk), so a lazily produced item is made
 * just before its chunk.
 */
export function* chunkLazily<T extends Sized>(items: Iterable<T>, limits: BatchLimits): Generator<T[], void, undefined> {
  if (limits.maxDocs < 1 || limits.maxBytes < 1) throw new RangeError('batch limits must be positive');
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && bytes + item.bytes > limits.maxBytes) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
    if (current.length >= limits.maxDocs) {
      yield current;
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) yield current;
}
