export { createMetricsRegistry, createServiceApp, startServiceHttp, type ReadinessCheck, type ServiceHttpOptions } from './http-server';
export { handleShutdown, exitOnBootError } from './shutdown';
