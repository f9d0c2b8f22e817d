import {spawnSync} from 'node:child_process';
import net from 'node:net';
import {usageError} from '../platform/errors.js';
import {toolEnv} from '../platform/child-env.js';
import type {DrillIsolation} from '../types.js';

/**
 * The drill's AEM runs in a network namespace of its own with only loopback up: a restored production AEM
 * starts its replication agents, workflows and mail as the original would, and must reach nothing. The start
 * command is run through `unshare --net`, which brings up `lo` and then execs the rest (setpriv as the owner,
 * then bin/start), so AEM and everything it starts stay in that namespace; the readiness probe enters it
 * (probe.ts, nsenter). Making a namespace takes root; without it the drill is refused unless --allow-network.
 */
export const NAMESPACE_PREFIX = ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'];

export function chooseIsolation(allowNetwork: boolean | undefined): DrillIsolation {
	const why = namespaceUnavailable();
	if (!why) return 'namespace';
	if (allowNetwork) return 'none';
	throw usageError(`The drill cannot run AEM in a network namespace of its own (${why}), so the restored AEM could reach production systems: run it as root, or pass --allow-network to run it anyway.`);
}

function namespaceUnavailable(): string | undefined {
	if (process.geteuid?.() !== 0) return 'it does not run as root';
	const tried = spawnSync(NAMESPACE_PREFIX[0]!, [...NAMESPACE_PREFIX.slice(1), 'true'], {env: toolEnv(), stdio: 'ignore', timeout: 10_000});
	if (tried.error) return `unshare could not run: ${(tried.error as NodeJS.ErrnoException).code ?? tried.error.message}`;
	return tried.status === 0 ? undefined : `unshare --net failed with exit code ${tried.status}`;
}

/** A TCP port free on 127.0.0.1 now, as the kernel picks one. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}
