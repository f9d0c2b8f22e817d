/** The manifest every backup holds: its header and one entry per file. */
import type {ManifestStorage} from '../storage/types.js';
import type {BackupMethod, BackupRunRecord} from './backup.js';

/** A file or folder recorded in a backup's manifest. Paths are relative to the backup root and start with `crx-quickstart/`. */
export type ManifestEntry =
	| {path: string; type: 'file'; size: number; mode: number; mtimeMs: number; crc32: string}
	| {path: string; type: 'dir'; mode: number; mtimeMs: number};

/** The first line of the manifest (JSON Lines: this header, then one ManifestEntry per line). */
export interface ManifestHeader extends BackupRunRecord {
	format: 'crx-backup-manifest';
	formatVersion: 1;
	tool: string;
	toolVersion: string;
	exclude: string[];
	/** Node and blob store as configured; an external datastore's original path. */
	storage?: ManifestStorage;
	/** --link-dest/--incremental: the previous backup whose unchanged files this one shares as hard links. */
	linkedFrom?: string;
	/** Absent in manifests written before --method: online. */
	method?: BackupMethod;
	/** What blocked writes in stage 4: AEM's console (its address, no credentials) or the freeze command as given. */
	freeze?: {aem: string} | {command: string};
}
