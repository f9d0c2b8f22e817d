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
 * (probe.ts, nsenter). Root makes the namespace itself. Any other user (the install's owner, who makes the
 * backups and reads `status`, so the drill's record lands in the same state folder) makes it inside a user
 * namespace of its own (`--user --map-root-user`): AEM runs as that same user, seen as root only inside, with
 * no more rights on the host than before. Where neither works the drill is refused unless --allow-network.
 */
const LOOPBACK_UP = ['sh', '-c', 'ip link set lo up && exec "$0" "$@"'];

/** The command that starts the drill's AEM in its own network namespace, for the user this runs as. */
export function namespacePrefix(): string[] {
	return process.geteuid?.() === 0 ? ['unshare', '--net', '--', ...LOOPBACK_UP] : ['unshare', '--user', '--map-root-user', '--net', '--', ...LOOPBACK_UP];
}

/** The command that runs the readiness probe inside the namespace of `pid` (the drill's JVM). */
export function enterNamespace(pid: number): string[] {
	return process.geteuid?.() === 0
		? ['nsenter', `--net=/proc/${pid}/ns/net`, '--']
		: ['nsenter', `--user=/proc/${pid}/ns/user`, `--net=/proc/${pid}/ns/net`, '--preserve-credentials', '--'];
}

export function chooseIsolation(allowNetwork: boolean | undefined): DrillIsolation {
	const why = namespaceUnavailable();
	if (!why) return 'namespace';
	if (allowNetwork) return 'none';
	throw usageError(`The drill cannot run AEM in a network namespace of its own (${why}), so the restored AEM could reach production systems: pass --allow-network to run it anyway.`);
}

function namespaceUnavailable(): string | undefined {
	const [file, ...args] = namespacePrefix();
	const tried = spawnSync(file!, [...args, 'true'], {env: toolEnv(), stdio: 'ignore', timeout: 10_000});
	if (tried.error) return `unshare could not run: ${(tried.error as NodeJS.ErrnoException).code ?? tried.error.message}`;
	return tried.status === 0 ? undefined : `${file} ${args.slice(0, args.indexOf('--')).join(' ')} failed with exit code ${tried.status}`;
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
