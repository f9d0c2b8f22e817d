import {Worker} from 'node:worker_threads';

/** The engine's worker modules, siblings of this file. */
export type WorkerModule = 'target-snapshot-worker' | 'walk-worker';

/** A thread running one of the engine's worker modules, with `data` as its workerData. */
export function newWorker(module: WorkerModule, data?: unknown): Worker {
	return import.meta.url.endsWith('.ts')
		// Under the test runner this module is TypeScript: the worker loads its sibling through tsx's API.
		? new Worker(`import('tsx/esm/api').then(({tsImport}) => tsImport(${JSON.stringify(new URL(`./${module}.ts`, import.meta.url).href)}, 'file:///'))`, {eval: true, workerData: data})
		: new Worker(new URL(`./${module}.js`, import.meta.url), {workerData: data});
}

/**
 * Runs one of the engine's worker modules on a thread of its own and resolves
 * with the last message it posted (undefined if none). Rejects if it throws,
 * exits non-zero or is stopped by the signal (it is then terminated).
 */
export function runWorker<T>(module: WorkerModule, data: unknown, signal?: AbortSignal): Promise<T | undefined> {
	const worker = newWorker(module, data);
	return new Promise((resolve, reject) => {
		const abort = () => void worker.terminate();
		if (signal?.aborted) abort();
		signal?.addEventListener('abort', abort, {once: true});
		let failed: unknown;
		let result: T | undefined;
		worker.on('message', message => {
			result = message as T;
		});
		worker.on('error', error => {
			failed = error;
		});
		worker.on('exit', code => {
			signal?.removeEventListener('abort', abort);
			if (signal?.aborted) reject(signal.reason);
			else if (failed !== undefined || code !== 0) reject(failed ?? new Error(`the ${module} thread exited with code ${code}`));
			else resolve(result);
		});
	});
}
