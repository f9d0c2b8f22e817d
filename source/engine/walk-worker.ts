// The worker thread behind WalkWorker: walks the parts of the tree it is sent, one at a time, each into a state
// file, and answers with the warnings it met (a worker cannot call the main thread's onWarning) or the error.
import {parentPort} from 'node:worker_threads';
import {entryRecord, walkTree} from './scan.js';
import {StateWriter} from './state-file.js';
import type {WalkPartJob, WalkPartReply} from './walk-pool.js';

parentPort!.on('message', (job: WalkPartJob) => {
	const warnings: string[] = [];
	let reply: WalkPartReply;
	try {
		const out = new StateWriter(job.entriesOut);
		try {
			for (const entry of walkTree(job.root, {...job.options, onWarning: message => warnings.push(message)})) out.write(entryRecord(entry));
		} finally {
			out.close();
		}
		reply = {warnings};
	} catch (error) {
		reply = {error: error instanceof Error ? error.message : String(error)};
	}
	parentPort!.postMessage(reply);
});
