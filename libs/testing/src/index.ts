export { waitFor, type WaitOptions } from './wait-for';
export { spawnTsService, waitForHttpOk, WORKSPACE_ROOT, type ChildService } from './child-service';
export { freePort } from './free-port';
export { processMemoryMb } from './process-memory';
export { deployedNode, type DeployedNode } from './deployed-node';
export { numberArg } from './bench-args';
export { processCpuSeconds } from './process-cpu';
export { readHistogram, histogramQuantileMs, type HistogramBuckets } from './prometheus-histogram';
export { zipfWords } from './zipf-words';
