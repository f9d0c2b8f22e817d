import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {randomBytes} from 'node:crypto';
import {generateRepository} from '../demo/generate.js';
import {startDemoAem, type DemoAem} from './demo-aem.js';
import type {CreatePrefill} from './state/create-form.js';

/** Big enough that a newcomer sees every stage, small enough to back up within a minute. */
export const demoBytes = 150 * 1024 * 1024;

export interface DemoSession {
	/** The temp folder holding the install and its backups: quitting deletes it. */
	root: string;
	/** The install folder: crx-quickstart is inside, backups go next to it. */
	repo: string;
	freezeCmd: string;
	thawCmd: string;
	/** The fake AEM's JMX console: the TUI's freeze goes through its blockRepositoryWrites ("AEM"), which pauses the writer. */
	aem?: string;
	/**
	 * Runs a datastore GC on AEM, as AEM's datastore garbage collection would: the one thing that deletes
	 * datastore records, and what makes a zip backup running at the same time fail. Resolves with the
	 * records it deleted.
	 */
	runDatastoreGc: () => Promise<string[]>;
	/** Stops AEM (whichever process runs it now) and removes the temp folder; safe to call more than once. */
	stop: () => Promise<void>;
}

/**
 * `crx-backup --demo`: a generated repository in a temp folder run by the fixtures'
 * fake AEM (source/demo/fake-aem: a daemon started and stopped by crx-quickstart/bin/start
 * and bin/stop, conf/cq.pid, repo.lock, a live writer changing the repository, a JMX
 * console emulating AEM's documented interface). So the TUI shows a real hot backup
 * (stages 2–4 find changed files, stage 4 blocks writes through AEM's
 * blockRepositoryWrites), and all three methods: offline stops AEM with bin/stop and
 * starts it again with bin/start. AEM is stopped and the folder removed when the TUI
 * exits, on a signal and on a crash.
 */
export async function startDemo({log, sizeBytes = demoBytes}: {log: (line: string) => void; sizeBytes?: number}): Promise<DemoSession> {
	const root = await fs.mkdtemp(path.join(os.tmpdir(), 'crx-backup-demo-'));
	const install = path.join(root, 'aem');
	let stopped: Promise<void> | undefined;
	let aem: DemoAem | undefined;

	const stop = () => (stopped ??= (async () => {
		process.off('exit', onExit);
		process.off('uncaughtException', onCrash);
		// AEM takes a moment to stop (like AEM): say so, the screen is already gone.
		if (aem) log(`crx-backup: stopping the demo's AEM and removing ${root}…`);
		await aem?.stop();
		await fs.rm(root, {recursive: true, force: true});
		log(`crx-backup: removed the demo folder ${root}.`);
	})());
	// Last resort when the process dies without reaching `stop`: at least kill AEM.
	const onExit = () => {
		try {
			aem?.kill();
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
		await generateRepository(install, {sizeBytes, seed: 1});
		// A password of its own, handed over as an operator would (the environment), never on a command line.
		const password = randomBytes(12).toString('base64url');
		aem = await startDemoAem(install, path.join(root, 'fake-aem'), password);
		process.env.CRX_BACKUP_AEM_PASSWORD = password;
		log(`crx-backup: a fake AEM runs on it (crx-quickstart/bin/start, bin/stop): a live writer keeps changing it while you back it up.`);
		log(`crx-backup: its JMX console at ${aem.url} blocks the writer's writes in stage 4; an offline backup stops and restarts it.`);
		return {root, repo: install, freezeCmd: aem.freezeCmd, thawCmd: aem.thawCmd, aem: aem.url, runDatastoreGc: aem.runDatastoreGc, stop};
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * The Create form's start in the demo: the freeze goes through AEM's JMX console
 * unless the command line named other commands. Offline needs nothing: the
 * install's own bin/stop and bin/start are the defaults.
 */
export function demoPrefill(session: Pick<DemoSession, 'freezeCmd' | 'thawCmd' | 'aem'>, given: CreatePrefill): CreatePrefill {
	if (given.aem) return given;
	return given.freezeCmd || !session.aem ? {freezeCmd: session.freezeCmd, thawCmd: session.thawCmd, ...given} : {aem: session.aem, ...given};
}
