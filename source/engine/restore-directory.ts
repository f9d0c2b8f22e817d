import fs from 'node:fs';
import path from 'node:path';
import {walkTree, type WalkItem} from './catalog-walk.js';
import {failure, throwIfAborted} from './errors.js';
import {openManifestEntries} from './manifest-entries.js';
import {MANIFEST_NAME, QUICKSTART} from './paths.js';
import {checkLinkTarget, DEFAULT_DIR_MODE, destinationOf, PERMISSION_BITS} from './restore-rules.js';
import type {ExtractContext, ExtractResult, RestoreCheck} from './restore-source.js';
import {FolderModes} from './restore-folders.js';
import {createRestoredFile} from './restore-write.js';

/**
 * A directory backup restores by copy. With a manifest, the manifest drives it:
 * it holds the original modes (the copy has owner bits only) and each file's
 * CRC-32, checked as the file streams. Without one (AEM's own directory
 * backups), the tree is walked and its modes kept.
 */
type Item = {name: string; type: 'file' | 'dir' | 'symlink'; mode?: number; mtime?: number; crc32?: string; size?: number};

async function * itemsOf(root: string, signal?: AbortSignal): AsyncGenerator<Item> {
	const manifestFile = path.join(root, MANIFEST_NAME);
	if (fs.existsSync(manifestFile)) {
		const {entries} = await openManifestEntries(fs.createReadStream(manifestFile));
		for await (const entry of entries) {
			yield entry.type === 'file'
				? {name: entry.path, type: 'file', mode: entry.mode, mtime: entry.mtimeMs / 1000, crc32: entry.crc32, size: entry.size}
				: {name: entry.path, type: 'dir', mode: entry.mode, mtime: entry.mtimeMs / 1000};
		}
		return;
	}
	const kinds: Record<WalkItem['kind'], Item['type'] | undefined> = {file: 'file', dir: 'dir', symlink: 'symlink', other: undefined};
	for await (const item of walkTree(path.join(root, QUICKSTART), signal)) {
		const type = kinds[item.kind];
		if (type) yield {name: `${QUICKSTART}/${item.relative}`, type};
	}
}

async function sizeOf(file: string): Promise<number> {
	return (await fs.promises.lstat(file).catch(() => undefined))?.size ?? 0;
}

export async function checkDirectory(root: string, to: string, context: Pick<ExtractContext, 'filter' | 'signal'>): Promise<RestoreCheck> {
	let files = 0;
	let bytes = 0;
	for await (const item of itemsOf(root, context.signal)) {
		throwIfAborted(context.signal);
		const source = destinationOf(root, item.name);
		destinationOf(to, item.name);
		if (item.type === 'symlink') checkLinkTarget(to, item.name, await fs.promises.readlink(source));
		if (!context.filter.keeps(item.name, item.type === 'dir')) continue;
		context.filter.note(item.name);
		if (item.type === 'dir') continue;
		const size = await sizeOf(source);
		// Caught here, before anything is written; a CRC that disagrees can only be caught as the file streams.
		if (item.size !== undefined && size !== item.size) {
			throw failure(`${item.name} in the backup is ${size} bytes, its manifest says ${item.size}: the backup is damaged; nothing was restored.`);
		}
		files++;
		bytes += size;
	}
	// A manifest lists the tree in path order; a walk (AEM's own directory backups) does not.
	return {files, bytes, ordered: fs.existsSync(path.join(root, MANIFEST_NAME))};
}

export async function copyDirectory(root: string, context: ExtractContext): Promise<ExtractResult> {
	const folders = new FolderModes(context.ordered);
	const links: Array<{path: string; target: string}> = [];
	let files = 0;
	let bytes = 0;
	for await (const item of itemsOf(root, context.signal)) {
		throwIfAborted(context.signal);
		if (!context.filter.keeps(item.name, item.type === 'dir')) continue;
		const source = destinationOf(root, item.name);
		const destination = destinationOf(context.staging, item.name);
		if (item.type === 'symlink') {
			const target = await fs.promises.readlink(source);
			checkLinkTarget(context.to, item.name, target);
			await folders.link(destination);
			links.push({path: destination, target});
			continue;
		}
		if (item.type === 'dir') {
			await fs.promises.mkdir(destination, {recursive: true, mode: DEFAULT_DIR_MODE});
			const stat = item.mode === undefined ? await fs.promises.lstat(source) : undefined;
			await folders.folder({path: destination, mode: (item.mode ?? stat!.mode) & PERMISSION_BITS, mtime: item.mtime ?? stat!.mtime});
			continue;
		}
		await folders.reach(destination);
		await fs.promises.mkdir(path.dirname(destination), {recursive: true, mode: DEFAULT_DIR_MODE});
		bytes += await copyFile(source, destination, item, context, bytes, files);
		files++;
		context.progress(item.name, bytes, files);
	}
	await folders.close();
	for (const link of links) {
		await fs.promises.mkdir(path.dirname(link.path), {recursive: true, mode: DEFAULT_DIR_MODE});
		await fs.promises.symlink(link.target, link.path);
	}
	return {files, bytes, madeExecutable: [], folders};
}

/** Copies one file, never following a symlink at the source (O_NOFOLLOW), checking the manifest's CRC-32 when there is one. */
async function copyFile(source: string, destination: string, item: Item, context: ExtractContext, bytesBefore: number, files: number): Promise<number> {
	let input: fs.promises.FileHandle;
	try {
		input = await fs.promises.open(source, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ELOOP') throw failure(`${item.name} is missing from the backup (or is no longer a regular file); nothing was restored.`, error);
		throw error;
	}
	const out = createRestoredFile(destination);
	try {
		const stat = await input.stat();
		if (!stat.isFile()) throw failure(`${item.name} in the backup is not a regular file; nothing was restored.`);
		let done = 0;
		for await (const chunk of input.createReadStream({autoClose: false, signal: context.signal}) as AsyncIterable<Buffer>) {
			out.write(chunk);
			done += chunk.length;
			context.progress(item.name, bytesBefore + done, files);
		}
		if (item.size !== undefined && done !== item.size) {
			throw failure(`${item.name} in the backup is ${done} bytes, its manifest says ${item.size}: the backup is damaged; nothing was restored.`);
		}
		if (item.crc32 !== undefined && out.crc32() !== item.crc32) {
			throw failure(`${item.name} in the backup is damaged (CRC-32 ${out.crc32()}, the manifest says ${item.crc32}); nothing was restored.`);
		}
		out.finish((item.mode ?? stat.mode) & PERMISSION_BITS, item.mtime ?? stat.mtime);
		return done;
	} finally {
		out.abort();
		await input.close();
	}
}
