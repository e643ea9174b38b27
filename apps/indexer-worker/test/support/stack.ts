import { startEmbeddedElasticsearch } from '@nova/embedded-elasticsearch';
import { startEmbeddedKafka } from '@nova/embedded-kafka';

type EmbeddedEs = Awaited<ReturnType<typeof startEmbeddedElasticsearch>>;
type EmbeddedKafka = Awaited<ReturnType<typeof startEmbeddedKafka>>;

/** An embedded broker and an embedded search server for one test file. */
export interface Stack {
  brokers: string[];
  esUrl: string;
  kafka: EmbeddedKafka;
  es: EmbeddedEs;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const kafka = await startEmbeddedKafka({ groupInitialRebalanceDelayMs: 0 });
  let es: EmbeddedEs;
  try {
    es = await startEmbeddedElasticsearch({});
  } catch (err) {
    await kafka.stop();
    throw err;
  }
  return {
    brokers: kafka.brokers,
    esUrl: es.url,
    kafka,
    es,
    stop: async () => {
      await Promise.allSettled([kafka.stop(), es.stop()]);
    },
  };
}

/** The search server's fault hooks (429 on the next N bulk items, 503 for a period, latency). */
export function esFaults(stack: Stack) {
  return stack.es.faults;
}
