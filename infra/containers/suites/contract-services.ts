import { ElasticsearchContainer } from '@testcontainers/elasticsearch';
import { KafkaContainer } from '@testcontainers/kafka';
import { IMAGES } from './images';

export interface ContractServices {
  /** host:port of a real Kafka broker (KRaft). */
  kafkaBrokers: string;
  /** http://host:port of a real Elasticsearch node (security off, as the stand-in). */
  elasticsearchUrl: string;
  stop(): Promise<void>;
}

/** A real Kafka and a real Elasticsearch for the stand-ins' contract suites. */
export async function startContractServices(): Promise<ContractServices> {
  const [kafka, es] = await Promise.all([
    new KafkaContainer(IMAGES.kafka).withKraft().start(),
    new ElasticsearchContainer(IMAGES.elasticsearch).withEnvironment({ 'xpack.security.enabled': 'false' }).start(),
  ]);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    elasticsearchUrl: `http://${es.getHost()}:${es.getMappedPort(9200)}`,
    stop: async () => {
      await Promise.allSettled([kafka.stop(), es.stop()]);
    },
  };
}

export interface StandInContractSuite {
  name: string;
  jestConfig: string;
  jestArgs: string[];
  env(services: ContractServices): Record<string, string>;
  describe(services: ContractServices): string;
}

/**
 * The stand-ins' contract suites and the variable each reads to run against a real service instead of the stand-in
 * (issues 3 and 4: KAFKA_TEST_BROKERS, ELASTICSEARCH_TEST_URL). Only the files written against that switch are run.
 */
export const STAND_IN_CONTRACT_SUITES: StandInContractSuite[] = [
  {
    name: 'embedded-kafka',
    jestConfig: 'infra/embedded-kafka/jest.config.cjs',
    // The suites written against `startBrokerUnderTest` (contract-*, consumer-crash); kcat's needs the kcat binary.
    jestArgs: ['--testPathPatterns', 'contract-', 'consumer-crash'],
    env: (s) => ({ KAFKA_TEST_BROKERS: s.kafkaBrokers }),
    describe: (s) => `${IMAGES.kafka} at ${s.kafkaBrokers}`,
  },
  {
    name: 'embedded-elasticsearch',
    jestConfig: 'infra/embedded-elasticsearch/jest.config.cjs',
    jestArgs: ['--testPathPatterns', '\\.contract\\.spec\\.ts$'],
    env: (s) => ({ ELASTICSEARCH_TEST_URL: s.elasticsearchUrl }),
    describe: (s) => `${IMAGES.elasticsearch} at ${s.elasticsearchUrl}`,
  },
];
