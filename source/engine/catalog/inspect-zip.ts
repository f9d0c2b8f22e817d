import {parseManifestStart} from '../manifest/format.js';
import {MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import type {ManifestHeader} from '../types.js';
import {openZip, readEntryStart, UnsafeEntryError, type ZipReader} from '../zip/reader.js';

/** How many central-directory entries `list` looks at to call a zip a backup: enough to tell, cheap for a huge zip. */
const SNIFF_ENTRIES = 8;
/** A manifest header is a few hundred bytes; this bounds what `list` reads of it. */
const HEADER_LIMIT = 256 * 1024;

export const isBackupEntryName = (name: string) => name === QUICKSTART || name.startsWith(`${QUICKSTART}/`);

/** Reads the manifest's header line from the zip entry holding it. */
export async function readZipManifestHeader(reader: ZipReader, entry: Parameters<ZipReader['openEntry']>[0]): Promise<ManifestHeader | undefined> {
	try {
		return parseManifestStart((await readEntryStart(reader, entry, HEADER_LIMIT)).toString('utf8'));
	} catch {
		return undefined;
	}
}

/**
 * Decides from the first central-directory entries whether a zip is a backup:
 * ours start with the manifest, AEM's with `crx-quickstart/`. Reads no file data
 * except the manifest's first line. A zip that cannot be opened is 'unreadable'
 * (the wreck of a backup, listed as incomplete), not 'not-a-backup'; one this
 * user may not open throws its EACCES.
 */
export async function inspectZip(file: string): Promise<'not-a-backup' | 'unreadable' | {manifest?: ManifestHeader; entries: number}> {
	let reader: ZipReader;
	try {
		reader = openZip(file);
	} catch (error) {
		// A zip this user may not read is not known to be a wreck: the caller says it was skipped.
		const code = (error as NodeJS.ErrnoException)?.code;
		if (code === 'EACCES' || code === 'EPERM') throw error;
		return 'unreadable';
	}
	try {
		let manifest: ManifestHeader | undefined;
		let seen = 0;
		let backupEntries = 0;
		for await (const entry of reader.entries()) {
			if (entry.name === MANIFEST_NAME && seen === 0) manifest = await readZipManifestHeader(reader, entry);
			else if (isBackupEntryName(entry.name)) backupEntries++;
			else return 'not-a-backup';
			if (++seen >= SNIFF_ENTRIES) break;
		}
		// The end record's count: a zip holding fewer entries than its manifest's files is not whole.
		return backupEntries > 0 || manifest ? {manifest, entries: reader.entryCount} : 'not-a-backup';
	} catch (error) {
		return error instanceof UnsafeEntryError ? 'not-a-backup' : 'unreadable';
	} finally {
		reader.close();
	}
}
