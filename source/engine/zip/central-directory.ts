/**
 * Central directory records, kept compactly: records are packed into 256 KiB
 * chunks (no per-record Buffer objects), and once more than ~2 MiB are held they
 * are appended to a temp file next to the zip (`<zipPath>.cd.tmp`), so memory does
 * not grow with the entry count. writeTo() copies the spilled part, then the rest.
 */
import fs from 'node:fs/promises';
import type {FileHandle} from 'node:fs/promises';
import {type Output, encodeAlone, writeAll} from './output.js';
import type {Encoded} from './records.js';

const CHUNK_SIZE = 256 * 1024;
const SPILL_THRESHOLD = 2 * 1024 * 1024;

export class CentralDirectory {
	entries = 0;
	/** Bytes of all records so far, spilled or held. */
	size = 0;
	private chunks: Buffer[] = [];
	private current = Buffer.allocUnsafeSlow(CHUNK_SIZE);
	private used = 0;
	private held = 0;
	private spill?: FileHandle;
	private spilled = 0;

	constructor(readonly spillPath: string, private readonly threshold = SPILL_THRESHOLD) {}

	async add(record: Encoded): Promise<void> {
		if (record.size > CHUNK_SIZE - this.used) this.seal();
		if (record.size > CHUNK_SIZE) this.chunks.push(encodeAlone(record));
		else {
			record.encode(this.current, this.used);
			this.used += record.size;
		}

		this.entries++;
		this.size += record.size;
		this.held += record.size;
		if (this.held > this.threshold) await this.spillHeld();
	}

	/** Appends every record, in the order added, to the zip. */
	async writeTo(output: Output): Promise<void> {
		this.seal();
		if (this.spill) {
			const buffer = Buffer.allocUnsafeSlow(1024 * 1024);
			for (let position = 0; position < this.spilled;) {
				const {bytesRead} = await this.spill.read(buffer, 0, Math.min(buffer.length, this.spilled - position), position);
				if (bytesRead === 0) throw new Error(`The central directory temp file ${this.spillPath} is shorter than written.`);
				await output.write(buffer.subarray(0, bytesRead));
				position += bytesRead;
			}
		}

		for (const chunk of this.chunks) await output.write(chunk);
	}

	/** Closes and removes the temp file; safe to call more than once. */
	async dispose(): Promise<void> {
		const spill = this.spill;
		this.spill = undefined;
		this.chunks = [];
		if (!spill) return;
		await spill.close().catch(() => undefined);
		await fs.rm(this.spillPath, {force: true});
	}

	private seal(): void {
		if (this.used === 0) return;
		this.chunks.push(this.current.subarray(0, this.used));
		this.current = Buffer.allocUnsafeSlow(CHUNK_SIZE);
		this.used = 0;
	}

	private async spillHeld(): Promise<void> {
		this.seal();
		this.spill ??= await openSpill(this.spillPath);
		for (const chunk of this.chunks) {
			await writeAll(this.spill, chunk, this.spilled);
			this.spilled += chunk.length;
		}

		this.chunks = [];
		this.held = 0;
	}
}

/** A leftover from a crashed run is ours to replace; 'wx' still refuses to follow a planted symlink. */
async function openSpill(path: string): Promise<FileHandle> {
	try {
		return await fs.open(path, 'wx+', 0o600);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		await fs.rm(path, {force: true});
		return fs.open(path, 'wx+', 0o600);
	}
}
