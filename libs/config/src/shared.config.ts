import { z } from 'zod';
import { brokerList, httpUrl, indexName, topicName } from './env';

/** The original search-service's names and defaults (see docs: origin.md); shared by the apps. */
export const kafkaTopicsSchema = {
  KAFKA_MESSAGE_PERSISTED_TOPIC: topicName('message_persisted'),
  KAFKA_MESSAGE_DELETED_TOPIC: topicName('message_deleted'),
  KAFKA_POST_PERSISTED_TOPIC: topicName('post_persisted'),
  KAFKA_POST_DELETED_TOPIC: topicName('post_deleted'),
};

export const kafkaSchema = {
  KAFKA_BROKERS: brokerList,
  KAFKA_CLIENT_ID: z.string().optional(),
  ...kafkaTopicsSchema,
};

export const elasticsearchSchema = {
  ELASTICSEARCH_URL: httpUrl.default('http://localhost:9200'),
  ELASTICSEARCH_USERNAME: z.string().optional(),
  ELASTICSEARCH_PASSWORD: z.string().optional(),
  ELASTICSEARCH_POST_INDEX: indexName('nova_posts'),
  ELASTICSEARCH_MESSAGE_INDEX: indexName('nova_messages'),
};

export interface TopicNames {
  messagePersisted: string;
  messageDeleted: string;
  postPersisted: string;
  postDeleted: string;
}

export function topicNames(env: z.infer<z.ZodObject<typeof kafkaTopicsSchema>>): TopicNames {
  return {
    messagePersisted: env.KAFKA_MESSAGE_PERSISTED_TOPIC,
    messageDeleted: env.KAFKA_MESSAGE_DELETED_TOPIC,
    postPersisted: env.KAFKA_POST_PERSISTED_TOPIC,
    postDeleted: env.KAFKA_POST_DELETED_TOPIC,
  };
}

/** Replaces the password of a URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
