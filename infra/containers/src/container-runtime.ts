import { getContainerRuntimeClient } from 'testcontainers';

export type ContainerRuntimeProbe = { available: true; host: string } | { available: false; reason: string };

/**
 * Whether testcontainers can reach a container runtime, found the way testcontainers itself looks for one
 * (DOCKER_HOST, ~/.testcontainers.properties, the Docker socket, rootless and Podman sockets).
 */
export async function probeContainerRuntime(): Promise<ContainerRuntimeProbe> {
  try {
    const client = await getContainerRuntimeClient();
    return { available: true, host: client.info.containerRuntime.host };
  } catch (err) {
    return { available: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
