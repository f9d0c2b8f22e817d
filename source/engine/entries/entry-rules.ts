import {usageError, type CrxError} from '../platform/errors.js';
import {QUICKSTART} from '../platform/paths.js';
import {EXTERNAL_DATASTORE} from '../storage/types.js';
import {comparePaths} from '../walk/source-walk.js';
import type {VerifyProblem} from '../types.js';

/**
 * The one check restore and verify share (zips and directory backups, with a
 * manifest or without one): it models the tree a restore would build, entry by
 * entry, and refuses what could make the restore write or read outside that
 * tree or fail half-way. The same `UnsafeBackupError` sentence is what restore
 * refuses with (exit 2, nothing written) and what verify reports (exit 1), so
 * the two can never disagree on a backup.
 */

export type TreeKind = 'file' | 'dir' | 'symlink' | 'special';

export interface TreeEntry {
	/** The name as stored, `/`-separated (a zip folder's one trailing slash removed). */
	name: string;
	kind: TreeKind;
	/** Unix mode, when the backup stores one (named in the refusal of a device, FIFO or socket). */
	mode?: number;
	/** A link's target (read by the caller, at most MAX_LINK_TARGET bytes). */
	target?: string;
}

/** Link targets are paths, not data: anything longer is not a link we would make. */
export const MAX_LINK_TARGET = 4096;
/** Links resolved through more links than this are a loop (Linux's own limit is 40). */
const MAX_HOPS = 40;

/**
 * An entry restore must not write; the message is one sentence without the final stop. The names in it come from
 * the backup (untrusted): their controls are written as escapes (\n, \u001b), so a name cannot forge a line of
 * restore's or verify's output, nor move a terminal's cursor.
 */
export class UnsafeBackupError extends Error {
	constructor(message: string) {
		super(escapeControls(message));
	}
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const escapeControls = (text: string): string =>
	text.replace(CONTROL, char => ({'\n': '\\n', '\r': '\\r', '\t': '\\t'})[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What restore throws for it. */
export const unsafeRefusal = (file: string, error: UnsafeBackupError): CrxError =>
	usageError(`${escapeControls(file)} is unsafe to restore: ${error.message}; nothing was restored.`);
/** What verify reports for it: the same sentence. */
export const unsafeProblem = (file: string, error: UnsafeBackupError): VerifyProblem =>
	({path: file, problem: `unsafe to restore: ${error.message}`});

const unsafe = (sentence: string) => new UnsafeBackupError(sentence);

/** The top folders a backup may hold: crx-quickstart/, and an external datastore beside it (restored to its own place). */
const TOPS = new Set([QUICKSTART, EXTERNAL_DATASTORE]);

/** Refuses a name that is not a plain path below crx-quickstart/ or external-datastore/: absolute, `..`, `.`, `//`, NUL, another top folder. */
export function checkName(name: string, kind: TreeKind): string[] {
	const parts = name.split('/');
	if (!TOPS.has(parts[0]!)) throw unsafe(`${JSON.stringify(name)} lies outside ${QUICKSTART}/`);
	if (parts.some(part => part === '' || part === '.' || part === '..' || part.includes('\0'))) {
		throw unsafe(`${JSON.stringify(name)} is not a plain path (it holds an empty, "." or ".." part)`);
	}
	if (parts.length === 1 && kind !== 'dir') throw unsafe(`${parts[0]} is a ${kindText(kind)} in the backup, not a folder`);
	return parts;
}

const kindText = (kind: TreeKind) => ({file: 'file', dir: 'folder', symlink: 'symbolic link', special: 'special file'})[kind];
const modeText = (mode: number | undefined) => (mode === undefined ? '' : ` (mode ${mode.toString(8)})`);

/**
 * The tree, entry by entry. In path order (our zips, a manifest) only the
 * folders above the entry in hand are held, so memory follows the depth, not
 * the entry count; in any other order (other tools' zips, a walk) every name is
 * held, which is the only way to see a duplicate or a conflict there. Links are
 * always held (they are few) and resolved in `finish`, once every one is known.
 */
export class BackupTree {
	/** Ordered: the chain of folders above the previous entry, and that entry. */
	private readonly chain: Array<{name: string; kind: TreeKind}> = [];
	/** Unordered: every name seen; `implied` for a folder only named as a parent. */
	private readonly seen = new Map<string, TreeKind | 'implied'>();
	private readonly links = new Map<string, string>();
	private previous: string | undefined;

	constructor(private readonly ordered: boolean) {}

	add(entry: TreeEntry): void {
		if (entry.kind === 'special') throw unsafe(`${entry.name} is a device, FIFO or socket${modeText(entry.mode)}, which restore never creates`);
		const parts = checkName(entry.name, entry.kind);
		if (entry.kind === 'symlink') this.addLink(entry.name, entry.target ?? '');
		if (this.ordered) this.addOrdered(entry.name, entry.kind);
		else this.addUnordered(entry.name, parts, entry.kind);
	}

	/** Every entry seen: resolves each link through the others, refusing one that leaves crx-quickstart/ at any step. */
	finish(): void {
		for (const [name, target] of this.links) this.resolve(name, target);
	}

	private addLink(name: string, target: string): void {
		if (target === '' || target.includes('\0')) throw unsafe(`${name} is a symbolic link whose target is not a path`);
		if (target.startsWith('/')) throw unsafe(`${name} is a symbolic link to ${target}, an absolute path, which could lead anywhere`);
		this.links.set(name, target);
	}

	private addOrdered(name: string, kind: TreeKind): void {
		if (this.previous !== undefined) {
			const order = comparePaths(this.previous, name);
			if (order === 0) throw unsafe(`${name} appears twice in the backup`);
			if (order > 0) throw unsafe(`${name} comes out of path order, so the backup changed while it was read`);
		}
		this.previous = name;
		while (this.chain.length > 0 && !name.startsWith(`${this.chain.at(-1)!.name}/`)) this.chain.pop();
		const parent = this.chain.at(-1);
		if (parent && parent.kind !== 'dir') throw this.under(name, parent.name, parent.kind);
		this.chain.push({name, kind});
	}

	private addUnordered(name: string, parts: string[], kind: TreeKind): void {
		const earlier = this.seen.get(name);
		if (earlier === 'implied' && kind !== 'dir') throw unsafe(`${name} is both a folder and a ${kindText(kind)} in the backup`);
		if (earlier !== undefined && earlier !== 'implied') throw unsafe(`${name} appears twice in the backup`);
		this.seen.set(name, kind);
		// Deepest parent first: one already known was checked, with its own parents, when it was added.
		for (let depth = parts.length - 1; depth > 0; depth--) {
			const parent = parts.slice(0, depth).join('/');
			const known = this.seen.get(parent);
			if (known === 'dir' || known === 'implied') return;
			if (known !== undefined) throw this.under(name, parent, known);
			this.seen.set(parent, 'implied');
		}
	}

	private under(name: string, parent: string, kind: TreeKind): UnsafeBackupError {
		return kind === 'symlink'
			? unsafe(`${name} lies under the symbolic link ${parent}, so writing it would follow the link`)
			: unsafe(`${name} lies under ${parent}, which the backup holds as a ${kindText(kind)}`);
	}

	/** Walks the target from the link's folder as the kernel would, expanding the backup's own links on the way. */
	private resolve(name: string, target: string): void {
		const where = name.split('/').slice(0, -1);
		let pending = target.split('/');
		for (let hops = 0; pending.length > 0;) {
			const part = pending.shift()!;
			if (part === '' || part === '.') continue;
			if (part === '..') {
				if (where.length <= 1) throw unsafe(`${name} is a symbolic link to ${target}, which leads outside ${where[0] ?? QUICKSTART}/`);
				where.pop();
				continue;
			}
			where.push(part);
			const next = this.links.get(where.join('/'));
			if (next === undefined) continue;
			if (++hops > MAX_HOPS) throw unsafe(`${name} is a symbolic link to ${target}, which loops through other links`);
			where.pop();
			pending = [...next.split('/'), ...pending];
		}
	}
}
