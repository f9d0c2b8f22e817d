import net from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';
import {descendants, fakeAemProcesses, readJsonLines, runningFakeAem, startFakeAem, stopFakeAem} from '../demo/fake-aem/control.js';
import {installFakeAem} from '../demo/fake-aem/install.js';
import {ENV, fakeAemPaths, type FakeAemPaths} from '../demo/fake-aem/paths.js';
import {freezeCommand, thawCommand} from '../demo/freeze-protocol.js';

/** Quick enough that an offline backup in the demo takes seconds, slow enough to see AEM "flushing". */
export const demoStopDelayMs = 1500;
/** How long the demo's datastore GC sweeps: long enough to meet a backup's stages. */
const gcSeconds = 3;

export interface DemoAem {
	/** The JMX console: the same address after every restart (the port is fixed in the config). */
	url: string;
	freezeCmd: string;
	thawCmd: string;
	paths: FakeAemPaths;
	/** A datastore GC through AEM's own door (the JMX console): resolves, once it is over, with the records it deleted. */
	runDatastoreGc: () => Promise<string[]>;
	/** bin/stop, waiting until the daemon running NOW (an offline backup restarts it with a new pid) is gone. */
	stop: () => Promise<void>;
	/** Last resort on exit: SIGKILL to every daemon of this install (starting or running) with its process group. */
	kill: () => void;
}

/** A port free now, kept for the demo's whole life so the TUI's AEM address survives a restart. */
async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

/**
 * Makes the generated install a fake AEM (source/demo/fake-aem: bin/start|stop|status,
 * conf/cq.pid, repo.lock, live writer, JMX console) and starts it. Its state folder
 * (writer control, request log) is `stateDir`, outside crx-quickstart, so no backup
 * sees it. The password reaches the daemon through the environment (this process's,
 * which every bin/start it runs inherits, the offline backup's too), never argv.
 */
export async function startDemoAem(install: string, stateDir: string, password: string): Promise<DemoAem> {
	const port = await freePort();
	// ownerPid: AEM never outlives this crx-backup, even one killed with SIGKILL (no exit handler runs then).
	await installFakeAem(install, {port, stopDelayMs: demoStopDelayMs, stateDir, ownerPid: process.pid});
	process.env[ENV.password] = password;
	const paths = fakeAemPaths(install);
	const running = await startFakeAem(install);
	const authorization = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

	const runDatastoreGc = async () => {
		const finished = () => readJsonLines<{event: string; deleted?: string[]}>(paths.writerEvents).filter(event => event.event === 'gc-finished');
		const before = finished().length;
		const response = await fetch(`${running.url}/fake-aem/datastore-gc?seconds=${gcSeconds}`, {method: 'POST', headers: {authorization}});
		if (!response.ok) throw new Error(`AEM answered ${response.status} to the datastore GC.`);
		// The writer logs the sweep's end with what it deleted; a stopped AEM ends the wait instead.
		const deadline = Date.now() + (gcSeconds + 30) * 1000;
		for (;;) {
			const done = finished();
			if (done.length > before) return done.at(-1)!.deleted ?? [];
			if (!runningFakeAem(install)) throw new Error('AEM stopped during the datastore GC.');
			if (Date.now() > deadline) throw new Error('The datastore GC did not finish in time.');
			await sleep(50);
		}
	};

	// SIGKILL to each daemon and what it runs (its writer, its repo.lock holder): like AEM's java, the daemon has
	// no process group of its own.
	const kill = () => {
		for (const pid of fakeAemProcesses(install)) {
			for (const each of [pid, ...descendants(pid)]) {
				try {
					process.kill(each, 'SIGKILL');
				} catch {}
			}
		}
	};

	const stop = async () => {
		await stopFakeAem(install, {timeoutMs: demoStopDelayMs + 10_000}).catch(() => undefined);
		// Whatever did not stop, and a daemon still starting (an offline backup's bin/start just ran: no cq.pid yet,
		// so bin/stop did not see it; it would start in a deleted folder and never notice).
		kill();
	};
	return {url: running.url, freezeCmd: freezeCommand(paths.controlDir), thawCmd: thawCommand(paths.controlDir), paths, runDatastoreGc, stop, kill};
}
