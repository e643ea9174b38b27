import type { Reader } from '../codec/reader';
import type { Writer } from '../codec/writer';
import type { BrokerState } from '../broker-state';

export interface RequestContext {
  apiKey: number;
  version: number;
  correlationId: number;
  clientId: string | null;
  clientHost: string;
  connectionId: number;
}

/**
 * One Kafka API: its key, the versions it implements (advertised as is through ApiVersions), the request decoder,
 * the logic, the response encoder, and `fail` which builds a response carrying one error code everywhere (used by the
 * fault hooks, so that an injected error looks exactly like a real one to the client).
 */
export interface Api<Req, Res> {
  key: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  decode(r: Reader, version: number): Req;
  /** null means no response at all (Produce with acks=0). */
  handle(broker: BrokerState, req: Req, ctx: RequestContext): Res | null | Promise<Res | null>;
  fail(req: Req, errorCode: number): Res;
  /** True when the request expects no response whatever happens (Produce with acks=0). */
  noResponse?(req: Req): boolean;
  encode(w: Writer, res: Res, version: number): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApi = Api<any, any>;

export const defineApi = <Req, Res>(api: Api<Req, Res>): Api<Req, Res> => api;
