import {checkResticRepo, runRestic} from './restic-process.js';
import {readTags, repositoryTag, TOOL_TAG} from './tags.js';
import type {ResticSnapshot} from './types.js';

/** The crx-backup snapshots in a restic repository, newest first (`restic snapshots --json`, filtered on our tag). */
export async function resticSnapshots(resticRepo: string, signal?: AbortSignal): Promise<ResticSnapshot[]> {
	const repo = checkResticRepo(resticRepo);
	const out = await runRestic({repo, signal, args: ['snapshots', '--json', '--tag', TOOL_TAG]});
	const raw = JSON.parse(out || '[]') as Array<{id: string; short_id?: string; time: string; hostname: string; tags?: string[]}>;
	return raw.map(snapshot => {
		const tags = snapshot.tags ?? [];
		return {id: snapshot.id, shortId: snapshot.short_id ?? snapshot.id.slice(0, 8), time: snapshot.time, hostname: snapshot.hostname, tags, ...readTags(tags)};
	}).sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
}

/** restic forget's keep flags (restic's own semantics), as `prune --keep-*` gives them. */
export interface ResticKeep {
	last?: number;
	hourly?: number;
	daily?: number;
	weekly?: number;
	monthly?: number;
}

/**
 * Applies the keep policy to this repository's snapshots only (filtered on its
 * tag, grouped by host: one night's snapshot per backup name is one series), then
 * `restic prune` drops the data no snapshot keeps. Returns restic's JSON report.
 */
export async function forgetResticSnapshots(resticRepo: string, quickstart: string, keep: ResticKeep, options: {dryRun?: boolean; signal?: AbortSignal} = {}): Promise<unknown> {
	const repo = checkResticRepo(resticRepo);
	const flags = Object.entries(keep).filter(([, value]) => value !== undefined).flatMap(([name, value]) => [`--keep-${name}`, String(value)]);
	const args = ['forget', '--json', '--tag', repositoryTag(quickstart), '--group-by', 'host', ...flags, ...(options.dryRun ? ['--dry-run'] : ['--prune'])];
	const out = await runRestic({repo, signal: options.signal, args});
	const line = out.split('\n').find(text => text.startsWith('['));
	return line ? JSON.parse(line) : [];
}
