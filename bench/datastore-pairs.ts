import fs from 'node:fs';
import path from 'node:path';
import type {Fixture} from './fixture.js';
import {sh, type Cmd} from './measure.js';
import type {PairSpec} from './pair.js';

/** The datastore-shaped pairs, by name (what --only takes); each result is stored as `name@records`. */
export const DATASTORE_PAIRS = ['ds-dir', 'ds-resync', 'ds-zip', 'ds-verify', 'ds-restore'];

export interface DatastoreContext {
	/** A 16 MiB repository plus `records` datastore records of 2 to 12 KiB of random bytes. */
	fixture: Fixture;
	records: number;
	work: string;
	rounds: number;
	/** Our command line: node, the shebang's flags, dist/cli.js. */
	node: string[];
	env: Record<string, string>;
}

/**
 * A production datastore's bulk: hundreds of thousands to millions of small,
 * incompressible, immutable records in `ab/cd/ef/` folders. Every pair's outputs
 * are removed after it (a million records take about 8 GiB and 2 million inodes
 * a copy), except our zip, which verify and restore read.
 */
export function datastorePairs(ctx: DatastoreContext): PairSpec[] {
	const out = (...parts: string[]) => path.join(ctx.work, 'out', 'ds', ...parts);
	const clear = (...paths: string[]) => () => paths.forEach(p => fs.rmSync(p, {recursive: true, force: true}));
	const ours = (...args: string[]): Cmd => ({label: 'crx-backup', argv: [...ctx.node, ...args], env: ctx.env});
	const {install, quickstart} = ctx.fixture;
	const count = ctx.records.toLocaleString('en-US');
	const zipOurs = out('ours.zip');
	const ensureOurZip = () => {
		if (fs.existsSync(zipOurs)) return;
		fs.mkdirSync(out(), {recursive: true});
		sh(`${[...ctx.node, 'backup', '--repo', install, '--target', zipOurs].map(part => JSON.stringify(part)).join(' ')}`);
	};
	const title = (what: string) => `${count} datastore records, ${what}`;
	const note = `${ctx.fixture.files.toLocaleString('en-US')} files, ${(ctx.fixture.bytes / 1024 ** 3).toFixed(2)} GiB: a 16 MiB repository plus ${count} records of 2–12 KiB of random bytes in ab/cd/ef/ folders`;
	return [
		{
			name: 'ds-dir', title: title('directory backup'), target: {ratio: 0.8}, needs: ['cp'], rounds: ctx.rounds, note,
			setup: () => void fs.mkdirSync(out(), {recursive: true}),
			teardown: clear(out('dir-ours'), out('dir-theirs')),
			ours: {label: 'crx-backup backup (dir)', prepare: clear(out('dir-ours')), commands: () => [ours('backup', '--repo', install, '--target', out('dir-ours'))], outputs: () => [out('dir-ours', 'crx-backup-manifest.jsonl')]},
			theirs: [{label: 'cp -a', prepare: () => (clear(out('dir-theirs'))(), fs.mkdirSync(out('dir-theirs'))), commands: () => [{label: 'cp', argv: ['cp', '-a', quickstart, out('dir-theirs')]}], outputs: () => [out('dir-theirs', 'crx-quickstart')]}],
		},
		{
			name: 'ds-resync', title: title('re-sync, nothing changed'), target: {ratio: 1.0}, needs: ['rsync'], rounds: ctx.rounds, note: `${note}; both targets already hold an identical copy`,
			setup: () => {
				fs.mkdirSync(out(), {recursive: true});
				sh(`${[...ctx.node, 'backup', '--repo', install, '--target', out('resync-ours')].map(part => JSON.stringify(part)).join(' ')}`);
				sh(`rsync -a --delete ${JSON.stringify(quickstart + '/')} ${JSON.stringify(out('resync-theirs') + '/')}`);
			},
			teardown: clear(out('resync-ours'), out('resync-theirs')),
			ours: {label: 'crx-backup backup (re-sync dir)', commands: () => [ours('backup', '--repo', install, '--target', out('resync-ours'))], outputs: () => [out('resync-ours', 'crx-backup-manifest.jsonl')]},
			theirs: [{label: 'rsync -a --delete', commands: () => [{label: 'rsync', argv: ['rsync', '-a', '--delete', `${quickstart}/`, `${out('resync-theirs')}/`]}]}],
		},
		{
			name: 'ds-zip', title: title('zip backup'), target: {ratio: 0.8}, needs: ['zip'], rounds: ctx.rounds, note,
			setup: () => void fs.mkdirSync(out(), {recursive: true}),
			teardown: clear(out('theirs.zip')),
			ours: {label: 'crx-backup backup (zip)', prepare: clear(zipOurs), commands: () => [ours('backup', '--repo', install, '--target', zipOurs)], outputs: () => [zipOurs]},
			theirs: [{label: 'zip -r -6', prepare: clear(out('theirs.zip')), commands: () => [{label: 'zip', argv: ['zip', '-r', '-6', '-q', out('theirs.zip'), 'crx-quickstart'], cwd: install}], outputs: () => [out('theirs.zip')]}],
		},
		{
			name: 'ds-verify', title: title('verify of our zip'), target: {ratio: 0.8}, needs: ['unzip'], rounds: ctx.rounds, note, setup: ensureOurZip,
			ours: {label: 'crx-backup verify', commands: () => [ours('verify', zipOurs)]},
			theirs: [{label: 'unzip -tq', commands: () => [{label: 'unzip', argv: ['unzip', '-tq', zipOurs]}]}],
		},
		{
			name: 'ds-restore', title: title('restore of our zip'), target: {ratio: 0.8}, needs: ['unzip'], rounds: ctx.rounds, note: `${note}; ours also checks every CRC and restores modes and times`, setup: ensureOurZip,
			teardown: clear(out('restore-ours'), out('restore-theirs')),
			ours: {label: 'crx-backup restore', prepare: clear(out('restore-ours')), commands: () => [ours('restore', zipOurs, '--to', out('restore-ours'))], outputs: () => [out('restore-ours', 'crx-quickstart')]},
			theirs: [{label: 'unzip -q', prepare: clear(out('restore-theirs')), commands: () => [{label: 'unzip', argv: ['unzip', '-q', zipOurs, '-d', out('restore-theirs')]}], outputs: () => [out('restore-theirs', 'crx-quickstart')]}],
		},
	];
}
