/**
 * The consumer side of the pipeline: writes sink items to the zip strictly in the
 * order they were queued. A local header is written with the sizes it has; for an
 * entry written piece by piece that means placeholders, patched in place once CRC
 * and sizes are known, so no data descriptor is needed (general-purpose bit 3
 * stays off and Java's streaming ZipInputStream reads stored entries too).
 */
import {failure} from '../platform/errors.js';
import type {CentralDirectory} from './central-directory.js';
import type {Output} from './output.js';
import {MAX32, centralRecord, generalPurposeFlags, localHeader} from './records.js';
import {type EntryFields, type EntryMeta, type Method, type SinkItem, DEFLATED, STORED} from './types.js';

export class EntrySink {
	/** The entry being written piece by piece, between its 'begin' and 'end' items. */
	private open?: EntryFields;

	constructor(private readonly output: Output, private readonly directory: CentralDirectory, private readonly level: number) {}

	async write(item: SinkItem): Promise<void> {
		switch (item.type) {
			case 'whole': return this.writeWhole(item.meta, await item.data);
			case 'begin': return this.begin(item.meta, await item.method);
			case 'piece': return this.piece(item.data, item.release);
			case 'end': return this.end(item.crc, item.size);
		}
	}

	/** What to do with an item once the writer has failed: wait for its work, then give back its memory. */
	static async discard(item: SinkItem): Promise<void> {
		if (item.type === 'whole') (await item.data.catch(() => undefined))?.release();
		if (item.type === 'piece') {
			await item.data.catch(() => undefined);
			item.release();
		}
	}

	private async writeWhole(meta: EntryMeta, data: {raw: Buffer; crc: number; compressed: Buffer | null; release(): void}): Promise<void> {
		const body = data.compressed ?? data.raw;
		const fields = this.fields(meta, data.compressed ? DEFLATED : STORED);
		Object.assign(fields, {crc: data.crc, compressedSize: body.length, size: data.raw.length});
		try {
			await this.output.writeRecord(localHeader(fields));
		} catch (error) {
			data.release();
			throw error;
		}
		// The output gives the memory back once the body is on disk (or failed).
		await this.output.write(body, data.release);
		await this.directory.add(centralRecord(fields));
	}

	private async begin(meta: EntryMeta, method: Method): Promise<void> {
		this.open = this.fields(meta, method);
		await this.output.writeRecord(localHeader(this.open));
	}

	private async piece(data: Promise<Buffer>, release: () => void): Promise<void> {
		let bytes: Buffer;
		try {
			bytes = await data;
		} catch (error) {
			release();
			throw error;
		}
		this.open!.compressedSize += bytes.length;
		await this.output.write(bytes, release);
	}

	private async end(crc: number, size: number): Promise<void> {
		const fields = this.open!;
		this.open = undefined;
		fields.crc = crc;
		fields.size = size;
		// Deflate can grow incompressible data a little; the writer reserves Zip64 near the limit (see zip64LocalFor).
		if (!fields.meta.zip64Local && fields.compressedSize >= MAX32) {
			throw failure(`${fields.meta.name} grew past 4 GiB when compressed: the zip cannot describe it without Zip64.`);
		}

		await this.output.patchRecord(fields.offset, localHeader(fields));
		await this.directory.add(centralRecord(fields));
	}

	private fields(meta: EntryMeta, method: Method): EntryFields {
		return {meta, method, flags: generalPurposeFlags(method, this.level), crc: 0, compressedSize: 0, size: 0, offset: this.output.offset};
	}
}
