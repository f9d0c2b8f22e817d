/**
 * The tags crx-backup puts on a snapshot: `crx-backup`, the repository it backs up
 * and the backup's name. restic splits --tag on commas, so a comma in a path
 * becomes an underscore. prune filters on the repository's tag, so only this
 * repository's snapshots are ever forgotten.
 */
export const TOOL_TAG = 'crx-backup';
const REPO_PREFIX = 'crx-repo=';
const NAME_PREFIX = 'crx-name=';

const safe = (text: string) => text.replaceAll(',', '_');

export const repositoryTag = (quickstart: string) => `${REPO_PREFIX}${safe(quickstart)}`;

export function snapshotTags(quickstart: string | undefined, name: string): string[] {
	return [TOOL_TAG, ...(quickstart ? [repositoryTag(quickstart)] : []), `${NAME_PREFIX}${safe(name)}`];
}

/** The repository and name a snapshot's tags carry. */
export function readTags(tags: string[]): {source?: string; backup?: string} {
	const find = (prefix: string) => tags.find(tag => tag.startsWith(prefix))?.slice(prefix.length);
	return {source: find(REPO_PREFIX), backup: find(NAME_PREFIX)};
}
