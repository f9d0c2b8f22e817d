import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {generateRepository} from '../../fixtures/generate.js';
import {startLiveWriter} from '../../fixtures/live-writer.js';
import {startJmxServer, type JmxServer} from '../../fixtures/fake-aem/jmx-server.js';
import {randomBytes} from 'node:crypto';

/** Big enough that a newcomer sees every stage, small enough to back up within a minute. */
export const demoBytes = 150 * 1024 * 1024;

export interface DemoSession {
	/** The temp folder holding the install and its backups: quitting deletes it. */
	root: string;
	/** The install folder: crx-quickstart is inside, backups go next to it. */
	repo: string;
	freezeCmd: string;
	thawCmd: string;
	/** The JMX emulation's address: the TUI's freeze goes through its blockRepositoryWrites ("AEM"), which pauses the writer. */
	aem?: string;
	/**
	 * Runs a datastore GC on the live writer, as AEM's datastore garbage collection would: the one thing that
	 * deletes datastore records, and what makes a zip backup running at the same time fail. Resolves with the
	 * records it deleted.
	 */
	runDatastoreGc: () => Promise<string[]>;
	/** Stops the live writer and removes the temp folder; safe to call more than once. */
	stop: () => Promise<void>;
}

/**
 * `crx-backup --demo`: a generated repository in a temp folder with a live writer
 * changing it, so the TUI shows a real hot backup (stages 2–4 find changed files,
 * stage 4 blocks writes through the writer's freeze/thaw commands). The writer is
 * stopped and the folder removed when the TUI exits, on a signal and on a crash.
 */
export async function startDemo({log, sizeBytes = demoBytes}: {log: (line: string) => void; sizeBytes?: number}): Promise<DemoSession> {
	const root = await fs.mkdtemp(path.join(os.tmpdir(), 'crx-backup-demo-'));
	const install = path.join(root, 'aem');
	const controlDir = path.join(root, 'writer-control');
	let stopped: Promise<void> | undefined;
	let writer: Awaited<ReturnType<typeof startLiveWriter>> | undefined;
	let jmx: JmxServer | undefined;

	const stop = () => (stopped ??= (async () => {
		process.off('exit', onExit);
		process.off('uncaughtException', onCrash);
		await jmx?.close().catch(() => undefined);
		await writer?.stop().catch(() => undefined);
		await fs.rm(root, {recursive: true, force: true});
		log(`crx-backup: removed the demo folder ${root}.`);
	})());
	// Last resort when the process dies without reaching `stop`: at least kill the writer.
	const onExit = () => {
		if (writer) try {
			process.kill(writer.pid);
		} catch {}
	};
	const onCrash = (error: Error) => {
		void stop().finally(() => {
			process.stderr.write(`crx-backup: unexpected failure: ${error.message}\n`);
			process.exit(1);
		});
	};
	process.on('exit', onExit);
	process.on('uncaughtException', onCrash);

	try {
		log(`crx-backup: building a ${Math.round(sizeBytes / 1024 / 1024)} MiB demo repository in ${install}…`);
		const generated = await generateRepository(install, {sizeBytes, seed: 1});
		await fs.mkdir(controlDir, {recursive: true});
		writer = await startLiveWriter({quickstart: generated.quickstart, controlDir});
		log(`crx-backup: a live writer (pid ${writer.pid}) keeps changing it while you back it up.`);
		const running = writer;
		// A sweep spread over 3 s, so it meets a backup's stages: the failure mode the demo exists to show.
		const runDatastoreGc = () => running.runDatastoreGc({durationMs: 3000});
		// A password of its own, handed over as an operator would (the environment), never on a command line.
		const password = randomBytes(12).toString('base64url');
		jmx = await startJmxServer({password, requestLog: path.join(root, 'jmx-requests.jsonl'), writerControlDir: controlDir});
		process.env.CRX_BACKUP_AEM_PASSWORD = password;
		log(`crx-backup: an emulation of AEM's JMX console at ${jmx.url} blocks the writer's writes in stage 4.`);
		return {root, repo: install, freezeCmd: writer.freezeCmd, thawCmd: writer.thawCmd, aem: jmx.url, runDatastoreGc, stop};
	} catch (error) {
		await stop();
		throw error;
	}
}
