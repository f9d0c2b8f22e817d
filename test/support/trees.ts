import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'crx-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface InstallOptions {
	/** The install folder's name under root (default AEM). */
	name?: string;
	/**
	 * What a running AEM adds (default true): content-addressed datastore records,
	 * the segment store's manifest and lock, Oak's cache and a log. The catalog,
	 * verify and restore tests count the files of the tree without them.
	 */
	live?: boolean;
	/**
	 * Restore's edge cases (default false): a shell script stored without its exec
	 * bit (opt/helper.sh, found by its shebang), a read-only file and a private folder.
	 */
	restoreEdges?: boolean;
}

/**
 * The one install-folder builder of the tests: `<root>/<name>/crx-quickstart` with
 * control scripts, a segment store, an index (excluded by default) and
 * configuration, plus what `options` adds.
 */
export function makeInstall(root: string, options: InstallOptions = {}): {install: string; quickstart: string} {
	const {name = 'AEM', live = true, restoreEdges = false} = options;
	const install = path.join(root, name);
	const q = path.join(install, 'crx-quickstart');
	const file = (rel: string, content: string | Buffer, mode = 0o644) => {
		const full = path.join(q, rel);
		fs.mkdirSync(path.dirname(full), {recursive: true});
		fs.writeFileSync(full, content);
		fs.chmodSync(full, mode);
	};
	for (const script of ['bin/start', 'bin/stop', 'bin/status', 'bin/quickstart', 'server/start', 'server/stop', 'server/serverctl']) {
		file(script, `#!/bin/sh\necho ${script}\n`, 0o755);
	}
	file('repository/segmentstore/data00000a.tar', crypto.randomBytes(300_000));
	file('repository/segmentstore/journal.log', 'a'.repeat(40) + ' root 1700000000000\n');
	file('repository/index/lucene-1/_0.cfs', crypto.randomBytes(5000));
	file('conf/sling.properties', 'sling.run.modes=author\n');
	file('install/keys.config', 'secret=1\n', 0o600);
	fs.mkdirSync(path.join(q, 'launchpad/empty'), {recursive: true});
	if (live) {
		file('repository/segmentstore/manifest', 'store.version=1\n');
		file('repository/segmentstore/repo.lock', '');
		for (let i = 0; i < 12; i++) {
			const content = i % 2 ? crypto.randomBytes(50_000 + i * 1000) : Buffer.from(`<xml>${'content '.repeat(3000 + i)}</xml>`);
			const digest = crypto.createHash('sha1').update(content).digest('hex');
			file(`repository/datastore/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest.slice(4, 6)}/${digest}`, content);
		}
		file('repository/cache/cache.bin', crypto.randomBytes(5000));
		file('logs/error.log', 'started\n');
	}
	if (restoreEdges) {
		file('opt/helper.sh', '#!/bin/bash\necho helper\n', 0o644);
		file('readonly.txt', 'read only\n', 0o444);
		fs.chmodSync(path.join(q, 'conf'), 0o750);
	}
	return {install, quickstart: q};
}

export interface NodeInfo {
	type: 'file' | 'dir' | 'link' | 'other';
	mode: number;
	size: number;
	sha1?: string;
	mtimeMs?: number;
	target?: string;
}

/** Every path below `root` with its type, permission bits, size and content digest (links not followed). */
export function describeTree(root: string, options: {skip?: string[]; withMtime?: boolean} = {}): Map<string, NodeInfo> {
	const result = new Map<string, NodeInfo>();
	const skip = new Set(options.skip ?? []);
	const walk = (dir: string, rel: string) => {
		for (const name of fs.readdirSync(dir).sort()) {
			const childRel = rel ? `${rel}/${name}` : name;
			if (skip.has(childRel)) continue;
			const full = path.join(dir, name);
			const stat = fs.lstatSync(full);
			const mtimeMs = options.withMtime ? Math.floor(stat.mtimeMs) : undefined;
			if (stat.isSymbolicLink()) result.set(childRel, {type: 'link', mode: 0, size: 0, target: fs.readlinkSync(full)});
			else if (stat.isDirectory()) {
				result.set(childRel, {type: 'dir', mode: stat.mode & 0o7777, size: 0});
				walk(full, childRel);
			} else if (stat.isFile()) {
				const sha1 = crypto.createHash('sha1').update(fs.readFileSync(full)).digest('hex');
				result.set(childRel, {type: 'file', mode: stat.mode & 0o7777, size: stat.size, sha1, mtimeMs});
			} else result.set(childRel, {type: 'other', mode: stat.mode & 0o7777, size: 0});
		}
	};
	walk(root, '');
	return result;
}

/** Content only (no modes): for comparing a backup's copy against its source. */
export function contentOf(tree: Map<string, NodeInfo>): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [rel, info] of tree) result[rel] = info.type === 'file' ? `${info.size}:${info.sha1}` : info.type;
	return result;
}
