export * from './compose';
export * from './promql-metrics';
export * from './exported-metrics';
export * from './container-runtime';
