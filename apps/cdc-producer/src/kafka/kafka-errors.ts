/** The Kafka error name (e.g. `MESSAGE_TOO_LARGE`) of a kafkajs error, looking through retry wrappers. */
export function kafkaErrorType(err: unknown): string | undefined {
  for (let e = err as { type?: unknown; originalError?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.type === 'string') return e.type;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return undefined;
}

/** What crosses the thread boundary of a failed Kafka call: enough to classify it and to log it. */
export interface KafkaFailure {
  name: string;
  message: string;
  type: string | undefined;
}

export function describeKafkaFailure(err: unknown): KafkaFailure {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, type: kafkaErrorType(err) };
}

/** An Error carrying a failure's Kafka error name as `type`, as kafkajs errors do. */
export class KafkaCallError extends Error {
  readonly type: string | undefined;
  constructor(failure: KafkaFailure) {
    super(failure.message);
    this.name = failure.name;
    this.type = failure.type;
  }
}
