import path from 'node:path';
import {cancelled, usageError} from '../../source/engine/platform/errors.js';
import {targetInsideRepository} from '../../source/engine/backup/repository.js';
import {checkRestoreDestination} from '../../source/engine/restore/destination.js';
import type {
	BackupEvent, BackupOptions, BackupRecord, BackupRef, BackupSummary, BackupTarget, Engine, Estimate, ListOptions,
	Preflight, Repository, RestoreEvent, RestoreOptions, RestorePlan, RestoreSummary, Step, VerifyEvent, VerifyOptions, VerifyResult,
} from '../../source/engine/types.js';

const MiB = 1024 * 1024;

export const fakeRepository: Repository = {quickstart: '/opt/aem/crx-quickstart', install: '/opt/aem', backupDir: '/opt'};

export function fakeRecord(name: string, overrides: Partial<BackupRecord> = {}): BackupRecord {
	return {
		path: path.join('/opt', name),
		name,
		kind: name.endsWith('.zip') ? 'zip' : 'directory',
		bytes: 200 * MiB,
		created: '2025-03-01T10:00:00.000Z',
		status: 'complete',
		over24h: false,
		ours: true, // Made by crx-backup, as the engine's records of its own backups say.
		manifest: {
			format: 'crx-backup-manifest', formatVersion: 1, tool: 'crx-backup', toolVersion: '0.1.0', source: fakeRepository.quickstart,
			kind: name.endsWith('.zip') ? 'zip' : 'directory', startedAt: '2025-03-01T10:00:00.000Z', finishedAt: '2025-03-01T10:01:00.000Z',
			durationMs: 60_000, writesBlocked: true, writesBlockedMs: 120, delayMs: 0,
			stages: [1, 2, 3, 4].map(stage => ({stage: stage as 1 | 2 | 3 | 4, files: 10, bytes: MiB, deleted: 0, durationMs: 1000})),
			exclude: [], files: 1234, bytes: 200 * MiB, over24h: false,
		},
		...overrides,
	};
}

export interface FakeEngineOptions {
	records?: BackupRecord[];
	repositoryBytes?: number;
	/** ms between scripted events. */
	tickMs?: number;
	/** The backup stops after emitting this many events until `release()` is called. */
	holdAfter?: number;
	verify?: VerifyResult;
	/** A verify stops after its first progress event until `release()` is called (or its signal fires). */
	holdVerify?: boolean;
	plan?: Partial<RestorePlan>;
}

/** A scripted Engine: records every call, emits backup and restore events on a timer, honours the AbortSignal. */
export class FakeEngine implements Engine {
	readonly calls: Array<{method: keyof Engine; args: unknown[]}> = [];
	records: BackupRecord[];
	backupSignal?: AbortSignal;
	verifySignal?: AbortSignal;
	private releaseHold?: () => void;
	private readonly held: Promise<void>;

	constructor(private readonly options: FakeEngineOptions = {}) {
		this.records = options.records ?? [];
		this.held = new Promise(resolve => (this.releaseHold = resolve));
	}

	release(): void {
		this.releaseHold?.();
	}

	callsTo(method: keyof Engine): unknown[][] {
		return this.calls.filter(call => call.method === method).map(call => call.args);
	}

	private record(method: keyof Engine, ...args: unknown[]) {
		this.calls.push({method, args});
	}

	async resolveRepository(repo?: string): Promise<Repository> {
		this.record('resolveRepository', repo);
		if (repo === '/nowhere') throw usageError('No crx-quickstart folder at /nowhere: pass --repo with the AEM install folder.');
		return fakeRepository;
	}

	resolveTarget(repository: Repository, target?: string): BackupTarget {
		if (target !== undefined && target.trim() === '') throw usageError('The target is empty: give a folder or a file name ending in .zip.');
		const resolved = path.resolve(repository.backupDir, target ?? 'backup-20250302-0930.zip');
		const inside = targetInsideRepository(repository, resolved); // The real rule and sentence: the fake paths resolve as typed.
		if (inside) throw usageError(inside);
		return {path: resolved, kind: /\.zip$/i.test(resolved) ? 'zip' : 'directory'};
	}

	async estimate(repository: Repository, target: BackupTarget, delayMs: number): Promise<Estimate> {
		this.record('estimate', repository, target, delayMs);
		const repositoryBytes = this.options.repositoryBytes ?? 200 * MiB;
		const divisor = target.kind === 'zip' ? 2 : 4;
		return {
			repository: repository.quickstart, repositoryBytes, repositoryFiles: 1234, kind: target.kind, target: target.path,
			divisor, delayMs, delaySeconds: (repositoryBytes / MiB) * delayMs / divisor, over24h: false,
		};
	}

	async preflight(repository: Repository, target: BackupTarget, delayMs: number, exclude?: string[]): Promise<Preflight> {
		this.record('preflight', repository, target, delayMs, ...(exclude ? [exclude] : []));
		const estimate = await this.estimate(repository, target, delayMs);
		this.calls.pop();
		const bytesNeeded = estimate.repositoryBytes * (target.kind === 'zip' ? 2 : 1);
		const bytesFree = target.path.includes('full-disk') ? MiB : 50 * 1024 * MiB;
		// A zip named "existing.zip" stands for one already there: the real preflight names the replace refusal.
		const replaces = path.basename(target.path) === 'existing.zip' ? `${target.path} exists: pass --force to replace it, or choose another name.` : undefined;
		return {
			target, estimate, bytesNeeded, bytesFree,
			warnings: delayMs >= 1000 ? ['The delay may make the backup run longer than 24 hours.'] : [],
			errors: [...(bytesFree < bytesNeeded ? ['Not enough space at the target: free some space or choose another target.'] : []), ...(replaces ? [replaces] : [])],
			// As the real preflight: the space sentence is also named, as the one --force overrides.
			...(bytesFree < bytesNeeded ? {spaceShort: 'Not enough space at the target: free some space or choose another target.'} : {}),
			...(replaces ? {replaces} : {}),
		};
	}

	async backup(options: BackupOptions): Promise<BackupSummary> {
		this.record('backup', {...options, signal: undefined, onEvent: undefined});
		this.backupSignal = options.signal;
		const summary = fakeSummary(options);
		const events = backupScript(options, summary);
		for (const [index, event] of events.entries()) {
			if (index === this.options.holdAfter) await abortable(this.held, options.signal);
			await tick(this.options.tickMs ?? 2, options.signal);
			options.onEvent?.(event);
		}
		return summary;
	}

	/** Not scripted: a prune here is a test's mistake. */
	async prune(...args: Parameters<Engine['prune']>): ReturnType<Engine['prune']> {
		this.calls.push({method: 'prune', args});
		throw new Error('FakeEngine: prune is not scripted');
	}

	/** Records the nightly steps asked for and did nothing (a test that needs them runs the real engine's). */
	async afterBackup(...args: Parameters<Engine['afterBackup']>): ReturnType<Engine['afterBackup']> {
		this.calls.push({method: 'afterBackup', args});
		return {};
	}

	/** Records the drill asked for and never answers unless a test overrides it (a drill screen's test scripts its events). */
	async drill(...args: Parameters<Engine['drill']>): ReturnType<Engine['drill']> {
		this.calls.push({method: 'drill', args});
		return new Promise(() => undefined);
	}

	/** No drill yet, unless a test overrides it. */
	async drillHealth(...args: Parameters<Engine['drillHealth']>): ReturnType<Engine['drillHealth']> {
		this.calls.push({method: 'drillHealth', args});
		return {};
	}

	/** Never answers unless a test overrides it, so Home's health line stays empty in screen tests. */
	async status(...args: Parameters<Engine['status']>): ReturnType<Engine['status']> {
		this.calls.push({method: 'status', args});
		return new Promise(() => undefined);
	}

	async list(options: ListOptions): Promise<BackupRecord[]> {
		this.record('list', options);
		return this.records;
	}

	async find(backup: string): Promise<BackupRecord> {
		this.record('find', backup);
		const found = this.records.find(record => record.path === backup || record.name === backup);
		if (!found) throw usageError(`No backup called ${backup}.`);
		return found;
	}

	async remove(ref: BackupRef, options: ListOptions): Promise<void> {
		const backup = pathOf(ref);
		this.record('remove', backup, options);
		this.records = this.records.filter(record => record.path !== backup);
	}

	/** The common contract: step-start, progress (with the file in hand), step-end, done; the signal cancels it between events. */
	async verify(ref: BackupRef, options: VerifyOptions = {}): Promise<VerifyResult> {
		this.record('verify', pathOf(ref));
		this.verifySignal = options.signal;
		const result = this.options.verify ?? {ok: true, files: 1234, bytes: 200 * MiB, problems: []};
		const progress = (filesDone: number, file?: string): VerifyEvent => ({
			type: 'progress', step: 'verify', percent: (100 * filesDone) / result.files, bytesDone: Math.round((result.bytes * filesDone) / result.files),
			bytesTotal: result.bytes, filesDone, filesTotal: result.files, file,
		});
		const events: VerifyEvent[] = [{type: 'step-start', step: 'verify'}, progress(Math.ceil(result.files / 2), 'crx-quickstart/repository/segmentstore/data00001a.tar')];
		for (const event of events) {
			await tick(this.options.tickMs ?? 2, options.signal);
			options.onEvent?.(event);
		}
		if (this.options.holdVerify) await abortable(this.held, options.signal);
		for (const event of [progress(result.files), {type: 'step-end', step: 'verify', durationMs: 100, files: result.files, bytes: result.bytes} as const, {type: 'done', summary: result} as const]) {
			await tick(this.options.tickMs ?? 2, options.signal);
			options.onEvent?.(event);
		}
		return result;
	}

	async planRestore(ref: BackupRef): Promise<RestorePlan> {
		const backup = pathOf(ref);
		this.record('planRestore', backup);
		return {backup, kind: 'zip', files: 1234, bytes: 200 * MiB, hasUnixModes: false, willMakeExecutable: ['crx-quickstart/bin/start', 'crx-quickstart/bin/stop'], inProgress: false, ...this.options.plan};
	}

	/** The real rule: it only reads the file system, and the wizard's tests type real paths. */
	async checkDestination(to: string, backup?: string): Promise<{existed: boolean}> {
		return checkRestoreDestination(to, backup);
	}

	async restore(options: RestoreOptions): Promise<RestoreSummary> {
		this.record('restore', {...options, backup: pathOf(options.backup), signal: undefined, onEvent: undefined});
		const summary: RestoreSummary = {to: options.to, files: 1234, bytes: 200 * MiB, madeExecutable: ['crx-quickstart/bin/start'], deletedIndex: Boolean(options.deleteIndex), durationMs: 1500};
		const events: RestoreEvent[] = (['verify', 'extract', 'modes'] as const).flatMap((step, index) => [
			{type: 'step-start', step} as const,
			{type: 'progress', step, percent: (index + 1) * 33, bytesDone: MiB, bytesTotal: MiB, filesDone: 1, filesTotal: 1} as const,
			{type: 'step-end', step, durationMs: 100} as const,
		]);
		for (const event of [...events, {type: 'done', summary} as const]) {
			await tick(this.options.tickMs ?? 2, options.signal);
			options.onEvent?.(event);
		}
		return summary;
	}
}

/** Calls are recorded by path, whether the TUI passed a path or a record (BackupRef). */
const pathOf = (ref: BackupRef): string => (typeof ref === 'string' ? ref : ref.path);

/** Resolves when `until` does, rejects with the engine's cancel error when the signal fires first. */
function abortable(until: Promise<unknown>, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(cancelled());
		const onAbort = () => reject(cancelled());
		signal?.addEventListener('abort', onAbort, {once: true});
		until.then(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

const tick = (ms: number, signal?: AbortSignal) => abortable(new Promise(resolve => setTimeout(resolve, ms)), signal);

function fakeSummary(options: BackupOptions): BackupSummary {
	return {
		target: options.target.path, kind: options.target.kind, source: options.repository.quickstart, files: 1234, bytes: 200 * MiB,
		zipBytes: options.target.kind === 'zip' ? 80 * MiB : undefined, startedAt: '2025-03-02T09:30:00.000Z', finishedAt: '2025-03-02T09:31:00.000Z',
		durationMs: 60_000, throttledMs: 0, method: options.method ?? 'online', writesBlockedMs: options.freezeCmd ? 150 : 0, writesBlocked: Boolean(options.freezeCmd), delayMs: options.delayMs,
		stages: [1, 2, 3, 4].map(stage => ({stage: stage as 1 | 2 | 3 | 4, files: Math.round(100 / stage), bytes: MiB, deleted: 0, durationMs: 1000})),
		zipDurationMs: options.target.kind === 'zip' ? 5000 : undefined, over24h: false, warnings: ['Skipped a socket: crx-quickstart/repository/aem.sock.'],
	};
}

/** start, then per step: step-start, two progress events, step-end; freeze/thaw around stage 4; done. */
export function backupScript(options: BackupOptions, summary: BackupSummary): BackupEvent[] {
	const zip = options.target.kind === 'zip';
	const steps: Step[] = [1, 2, 3, 4].flatMap(stage => (['A', 'B'] as const).map(phase => ({stage: stage as 1 | 2 | 3 | 4, phase})));
	if (zip) steps.push({stage: 'zip'});
	const events: BackupEvent[] = [{type: 'start', source: options.repository.quickstart, target: options.target.path, kind: options.target.kind, repositoryBytes: 200 * MiB, repositoryFiles: 1234, delayMs: options.delayMs, estimatedDelayMs: 0, writesBlocked: Boolean(options.freezeCmd)}];
	steps.forEach((step, index) => {
		if (step.stage === 4 && step.phase === 'A' && options.freezeCmd) events.push({type: 'freeze', command: options.freezeCmd});
		const percent = Math.round(((index + 1) / steps.length) * 99);
		events.push({type: 'step-start', step});
		events.push({type: 'progress', step, percent: percent - 1, bytesDone: 10 * MiB, bytesTotal: 20 * MiB, filesDone: 5, filesTotal: 10, estimated: step.stage !== 'zip', file: `repository/segmentstore/data0000${index}a.tar`});
		events.push({type: 'progress', step, percent, bytesDone: 20 * MiB, bytesTotal: 20 * MiB, filesDone: 10, filesTotal: 10});
		events.push({type: 'step-end', step, files: 10, bytes: 20 * MiB, deleted: 0, durationMs: 250});
		if (step.stage === 4 && step.phase === 'B' && options.thawCmd) events.push({type: 'thaw', command: options.thawCmd, ok: true});
	});
	events.push({type: 'done', summary});
	return events;
}
