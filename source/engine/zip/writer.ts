/**
 * ZipWriter: a streaming zip writer whose memory stays flat however many entries
 * it is given. add() produces sink items (produce.ts), the sink writes them in
 * order (sink.ts); between them, budgets bound the pieces, queued items and
 * running deflates.
 *
 * Contract: add()/addBuffer() may be called without awaiting, but each resolves
 * only once its entry is accepted into the pipeline, so awaiting them is what
 * keeps memory bounded. Entries appear in the zip in call order. Reading and
 * writing go on in the background: an error (a file that changed size, a full
 * disk) fails the writer and surfaces from a later add() or from close(); after
 * that every call rejects with the same error and the caller should abort() and
 * delete the zip. A bad name or a missing source only rejects that add().
 */
import {constants as fsConstants} from 'node:fs';
import fs from 'node:fs/promises';
import type {FileHandle} from 'node:fs/promises';
import os from 'node:os';
import {cancelled, failure, throwIfAborted, usageError} from '../platform/errors.js';
import {Budget} from './budget.js';
import {CentralDirectory} from './central-directory.js';
import {endRecords} from './end-records.js';
import {entryMeta} from './entry-meta.js';
import {Output} from './output.js';
import {PiecePool} from './piece-pool.js';
import {type ProduceContext, produceEntry} from './produce.js';
import {EntrySink} from './sink.js';
import {bufferSource, fileSource} from './sources.js';
import type {SinkItem, ZipEntryInput, ZipSummary, ZipWriterOptions} from './types.js';

export type {ZipEntryInput, ZipSummary, ZipWriterOptions} from './types.js';

/** Items queued between add() and the sink beyond the piece budget: directories and tiny files are cheap but not free. */
const QUEUED_ITEMS = 64;
const ignore = () => undefined;

export class ZipWriter {
	private failure: unknown;
	private state: 'open' | 'closing' | 'closed' | 'aborted' = 'open';
	/** add() calls, chained so entries are produced in call order; never rejects. */
	private gate: Promise<void> = Promise.resolve();
	/** Sink writes, chained in queue order; never rejects. */
	private tail: Promise<void> = Promise.resolve();
	private closing?: Promise<unknown>;
	private handleOpen = true;
	private readonly pool: PiecePool;
	private readonly slots: Budget;
	private readonly items = new Budget(QUEUED_ITEMS);
	private readonly output: Output;
	private readonly directory: CentralDirectory;
	private readonly sink: EntrySink;
	private readonly context: ProduceContext;
	private readonly onAbort = () => this.fail(cancelled());

	/** Creates zipPath with mode 0600; fails when it exists (unless `reserved`: then it must be a file of ours, never a link). */
	static async open(zipPath: string, options: ZipWriterOptions = {}): Promise<ZipWriter> {
		throwIfAborted(options.signal);
		const level = options.level ?? 6;
		if (!Number.isInteger(level) || level < 0 || level > 9) throw usageError(`The deflate level must be 0 to 9, not ${level}.`);
		const handle = options.reserved ? await openReserved(zipPath) : await fs.open(zipPath, 'wx', 0o600);
		return new ZipWriter(zipPath, handle, level, options);
	}

	private constructor(readonly zipPath: string, private readonly handle: FileHandle, level: number, private readonly options: ZipWriterOptions) {
		const concurrency = Math.max(1, Math.floor(options.concurrency ?? os.availableParallelism()));
		this.pool = new PiecePool(concurrency * 2);
		this.slots = new Budget(concurrency);
		this.output = new Output(handle);
		this.directory = new CentralDirectory(options.spillPath ?? `${zipPath}.cd.tmp`);
		this.sink = new EntrySink(this.output, this.directory, level);
		this.context = {level, slots: this.slots, signal: options.signal, onProgress: options.onProgress, enqueue: async make => this.enqueue(make)};
		options.signal?.addEventListener('abort', this.onAbort, {once: true});
	}

	/** Resolves once the entry is accepted into the pipeline (see the contract above). */
	async add(entry: ZipEntryInput): Promise<void> {
		return this.schedule(async () => {
			if (entry.kind === 'dir') {
				const meta = entryMeta(entry, 0);
				return async () => produceEntry(this.context, meta);
			}

			if (!entry.source) throw usageError(`The zip entry "${entry.name}" is a file without a source path.`);
			const size = entry.size ?? (await fs.stat(entry.source)).size;
			const meta = entryMeta(entry, size);
			return async () => produceEntry(this.context, meta, fileSource(entry.source!, size, this.pool, {crc32: entry.expectCrc32, live: entry.live}));
		});
	}

	/** Adds an in-memory file (a manifest, say); `data` must not change until close(). */
	async addBuffer(name: string, data: Buffer, meta: {mode: number; mtimeMs: number}): Promise<void> {
		return this.schedule(async () => {
			const entry = entryMeta({name, kind: 'file', ...meta}, data.length);
			return async () => produceEntry(this.context, entry, bufferSource(data, this.pool));
		});
	}

	/** Waits for every entry, writes the central directory and end records, fsyncs and closes. */
	async close(): Promise<ZipSummary> {
		if (this.state !== 'open') throw new Error(`The zip writer for ${this.zipPath} is already ${this.state}.`);
		this.state = 'closing';
		const finish = this.finish();
		this.closing = finish;
		return finish;
	}

	/** Stops, closes the file and removes the writer's temp files; zipPath itself is the caller's to delete. */
	async abort(): Promise<void> {
		if (this.state === 'aborted' || this.state === 'closed') return;
		this.fail(cancelled('The zip was abandoned.'));
		this.state = 'aborted';
		await this.closing?.catch(ignore);
		await this.gate;
		await this.tail;
		await this.release(false);
	}

	private async finish(): Promise<ZipSummary> {
		await this.gate;
		await this.tail;
		try {
			if (this.failure !== undefined) throw this.failure;
			const offset = this.output.offset;
			await this.directory.writeTo(this.output);
			const extent = {entries: this.directory.entries, offset, size: this.output.offset - offset};
			await this.output.write(endRecords(extent));
			await this.output.flush();
			await this.handle.sync();
			await this.release(true);
			this.state = 'closed';
			return {entries: extent.entries, bytes: this.output.offset};
		} catch (error) {
			this.fail(error);
			await this.release(false);
			throw this.failure;
		}
	}

	/** Runs prepare (its errors reject this call only), then the production (its errors fail the writer). */
	private async schedule(prepare: () => Promise<() => Promise<void>>): Promise<void> {
		const run = this.gate.then(async () => {
			this.assertOpen();
			const produce = await prepare();
			this.assertOpen();
			try {
				await produce();
			} catch (error) {
				this.fail(error);
				throw this.failure;
			}
		});
		this.gate = run.catch(ignore);
		return run;
	}

	private async enqueue(make: () => SinkItem): Promise<void> {
		await this.items.acquire(1);
		const item = make();
		this.tail = this.tail.then(async () => this.consume(item));
	}

	private async consume(item: SinkItem): Promise<void> {
		try {
			await (this.failure === undefined ? this.sink.write(item) : EntrySink.discard(item));
		} catch (error) {
			this.fail(error);
		} finally {
			this.items.release(1);
		}
	}

	private assertOpen(): void {
		if (this.failure !== undefined) throw this.failure;
		if (this.state !== 'open') throw new Error(`The zip writer for ${this.zipPath} is already ${this.state}.`);
	}

	/** The first failure wins; breaking the budgets wakes every producer waiting for room. */
	private fail(error: unknown): void {
		if (this.failure !== undefined) return;
		this.failure = error;
		this.pool.break(error);
		this.slots.break(error);
		this.items.break(error);
	}

	private async release(strict: boolean): Promise<void> {
		this.options.signal?.removeEventListener('abort', this.onAbort);
		try {
			if (this.handleOpen) {
				this.handleOpen = false;
				await (strict ? this.handle.close() : this.handle.close().catch(ignore));
			}
		} finally {
			await this.directory.dispose();
		}
	}
}

async function openReserved(zipPath: string): Promise<FileHandle> {
	const handle = await fs.open(zipPath, fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW | fsConstants.O_TRUNC);
	const stat = await handle.stat();
	if (!stat.isFile() || stat.uid !== (process.geteuid?.() ?? stat.uid)) {
		await handle.close();
		throw failure(`${zipPath} is no longer the file this backup reserved: nothing was written to it.`);
	}
	return handle;
}
