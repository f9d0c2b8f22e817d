import fs from 'node:fs';
import {mutate, onePercent, type Fixture} from './fixture.js';
import {sh, type Cmd} from './measure.js';
import type {PairSpec} from './pair.js';

/**
 * The second night of a nightly --link-dest chain: before each
 * round 1 % of the files change; ours makes a new folder linked to the first
 * night's, rsync -a --link-dest the same from its own first night. Goal ≤ 1.2×.
 * What the second night adds: `crx-backup list --json`'s addedBytes (bench/RESULTS.md).
 */
export function linkDestPair(main: Fixture, rounds: number, ours: (label: string, ...args: string[]) => Cmd, cli: string, node: string[], out: (...parts: string[]) => string): PairSpec {
	const {install, quickstart} = main;
	const clear = (dir: string) => () => fs.rmSync(dir, {recursive: true, force: true});
	const quote = (text: string) => JSON.stringify(text);
	return {
		name: 'link-dest', title: 'second night, --link-dest, 1 % of files changed', target: {ratio: 1.2}, needs: ['rsync'], rounds,
		note: `before each round the same ${onePercent(main.paths).length} files (1 %) get a byte appended and a new mtime, then a 2.1 s pause (not "racy" for our engine); both sides link to their own first night`,
		setup: () => {
			fs.mkdirSync(out('linkdest'), {recursive: true});
			sh(`${node.map(quote).join(' ')} ${quote(cli)} backup --repo ${quote(install)} --target ${quote(out('linkdest', 'night1'))}`);
			sh(`rsync -a ${quote(quickstart + '/')} ${quote(out('linkdest', 'rsync1') + '/')}`);
		},
		beforeRound: async () => {
			mutate(install, onePercent(main.paths));
			await new Promise(resolve => setTimeout(resolve, 2100));
		},
		ours: {
			label: 'crx-backup backup --link-dest', prepare: clear(out('linkdest', 'night2')),
			commands: () => [ours('crx-backup', 'backup', '--repo', install, '--target', out('linkdest', 'night2'), '--link-dest', out('linkdest', 'night1'))],
			outputs: () => [out('linkdest', 'night2', 'crx-backup-manifest.jsonl')],
		},
		theirs: [{
			label: 'rsync -a --link-dest', prepare: clear(out('linkdest', 'rsync2')),
			commands: () => [{label: 'rsync', argv: ['rsync', '-a', `--link-dest=${out('linkdest', 'rsync1')}`, `${quickstart}/`, `${out('linkdest', 'rsync2')}/`]}],
		}],
	};
}
