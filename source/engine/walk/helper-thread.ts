import fs from 'node:fs';
import {Worker} from 'node:worker_threads';
import type {HelperJob, HelperReply, SnapshotJob, WalkPartJob} from './helper-jobs.js';
import type {Captured, CaptureItem} from './capture.js';


/**
 * Small heap generations for the helper: its jobs stream records to files and
 * keep little, and V8's default young generation (up to 48 MiB a thread) was
 * most of the 30 MiB the thread added to a 200,000-file re-sync's peak RSS.
 */
const resourceLimits = {maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64};

/**
 * The backup's one helper thread, kept for the whole backup: it takes the
 * target's snapshot during the count, then part of each walk (stages 2–4). A
 * fresh thread per job starts with cold code (its part then took twice as long
 * as the same part on the main thread), and each thread is a V8 heap more
 * (the 150 MiB budget has room for one). Jobs run one at a time; `idle` says
 * whether one could start now. A helper that fails or is stopped is not used
 * again: the caller then does the job on the main thread.
 */
export class HelperThread {
	/** Walk parts the thread walked (the tests check when a walk is split). */
	parts = 0;
	/** Capture batches the thread copied (the tests check that stage 1 shares its copies). */
	batches = 0;
	private worker: Worker | undefined;
	private broken = false;
	private running = 0;

	get usable(): boolean {
		return !this.broken;
	}

	/** Usable, and no job running. */
	get idle(): boolean {
		return !this.broken && this.running === 0;
	}

	/** The part's warnings; rejects if the thread cannot walk it (the part is then the caller's to walk). */
	async walk(job: Omit<WalkPartJob, 'kind'>, signal?: AbortSignal): Promise<string[]> {
		const reply = await this.run({kind: 'walk', ...job}, signal);
		this.parts++;
		return 'warnings' in reply ? reply.warnings : [];
	}

	/** Writes the snapshot's files; rejects with the thread's error (its `code` kept) if it cannot. */
	async snapshot(job: SnapshotJob, signal?: AbortSignal): Promise<void> {
		await this.run({kind: 'snapshot', job}, signal);
	}

	/** Captures small files in order (see captureBatch); rejects with the thread's error (its code, syscall and paths kept). */
	async capture(items: CaptureItem[]): Promise<Array<Captured | null>> {
		const reply = await this.run({kind: 'capture', items});
		this.batches++;
		return 'captured' in reply ? reply.captured : [];
	}

	async close(): Promise<void> {
		this.broken = true;
		await this.worker?.terminate();
		this.worker = undefined;
	}

	private async run(job: HelperJob, signal?: AbortSignal): Promise<Exclude<HelperReply, {error: string}>> {
		const worker = this.start();
		this.running++;
		try {
			return await new Promise((resolve, reject) => {
				const settle = (error: unknown, reply?: Exclude<HelperReply, {error: string}>) => {
					worker.off('message', onMessage);
					worker.off('exit', onExit);
					worker.off('error', onError);
					signal?.removeEventListener('abort', onAbort);
					if (reply) resolve(reply);
					else reject(error);
				};
				const onMessage = (reply: HelperReply) => {
					if ('error' in reply) {
						const {error, ...fields} = reply;
						settle(Object.assign(new Error(error), Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))));
					}
					else settle(undefined, reply);
				};
				const onError = (error: Error) => this.fail(() => settle(error));
				const onExit = (code: number) => this.fail(() => settle(new Error(`the helper thread exited with code ${code}`)));
				const onAbort = () => this.fail(() => settle(signal!.reason));
				worker.on('message', onMessage);
				worker.once('error', onError);
				worker.once('exit', onExit);
				if (signal?.aborted) onAbort();
				else signal?.addEventListener('abort', onAbort, {once: true});
				worker.postMessage(job);
			});
		} finally {
			this.running--;
		}
	}

	private fail(then: () => void): void {
		this.broken = true;
		void this.worker?.terminate();
		this.worker = undefined;
		then();
	}

	private start(): Worker {
		if (this.broken) throw new Error('the helper thread is not available');
		if (!this.worker) {
			this.worker = newWorker();
			this.worker.unref(); // Never what keeps the process alive.
		}
		return this.worker;
	}
}

/**
 * Whether a job is big enough for the helper thread, judged by a file the last
 * backup left (a listing, a manifest): a small job is over before the thread
 * has started, and the thread's heap (15–30 MiB) is then spent for nothing.
 */
export function worthTheHelper(file: string | undefined, minBytes: number): boolean {
	if (minBytes <= 0) return true;
	if (file === undefined) return false;
	try {
		return fs.statSync(file).size >= minBytes;
	} catch {
		return false;
	}
}

function newWorker(): Worker {
	return import.meta.url.endsWith('.ts')
		// Under the test runner this module is TypeScript: the thread loads its sibling through tsx's API.
		? new Worker(`import('tsx/esm/api').then(({tsImport}) => tsImport(${JSON.stringify(new URL('./helper-thread-worker.ts', import.meta.url).href)}, 'file:///'))`, {eval: true, resourceLimits})
		: new Worker(new URL('./helper-thread-worker.js', import.meta.url), {resourceLimits});
}
