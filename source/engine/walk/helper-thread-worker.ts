// The thread behind HelperThread: does the jobs it is sent, one at a time, and answers each with the warnings it
// met (a thread cannot call the main thread's onWarning) or the error.
import {parentPort} from 'node:worker_threads';
import type {HelperJob, HelperReply} from './helper-jobs.js';
import {entryRecord, walkSource} from './source-walk.js';
import {StateWriter} from './state-file.js';
import {writeTargetSnapshot} from './target-snapshot.js';
import {captureBatch} from './capture.js';

function walkPart(job: Extract<HelperJob, {kind: 'walk'}>, warnings: string[]): void {
	const out = new StateWriter(job.entriesOut);
	try {
		for (const entry of walkSource(job.root, {...job.options, onWarning: message => warnings.push(message)})) out.write(entryRecord(entry));
	} finally {
		out.close();
	}
}

parentPort!.on('message', (job: HelperJob) => {
	const warnings: string[] = [];
	let reply: HelperReply;
	try {
		if (job.kind === 'capture') reply = {captured: captureBatch(job.items)};
		else {
			if (job.kind === 'walk') walkPart(job, warnings);
			else writeTargetSnapshot(job.job);
			reply = {warnings};
		}
	} catch (error) {
		const {code, syscall, path, dest} = (error ?? {}) as NodeJS.ErrnoException & {dest?: string};
		reply = {error: error instanceof Error ? error.message : String(error), code, syscall, path, dest};
	}
	parentPort!.postMessage(reply);
});
