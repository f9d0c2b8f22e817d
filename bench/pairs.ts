import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {mutate, onePercent, type Fixture} from './fixture.js';
import {sh, type Cmd} from './measure.js';
import type {PairSpec, Side} from './pair.js';
import {tuiBackupSide} from './tui.js';
import {linkDestPair} from './link-dest-pair.js';

export interface PairContext {
	/** Absolute path of dist/cli.js. */
	cli: string;
	/** bench/work: every target lives under out/. */
	work: string;
	main: Fixture;
	small?: Fixture;
	rounds: number;
	smallRounds: number;
	/** The TUI pair is optional (tmux, and a TUI that can be driven). */
	tui: boolean;
}

const MEMORY_MIB = 150;

/** Every pair in run order; the re-sync with changes runs last among the main ones because it edits the fixture. */
export function definePairs(ctx: PairContext): PairSpec[] {
	const out = (...parts: string[]) => path.join(ctx.work, 'out', ...parts);
	const env = {CRX_BACKUP_STATE_DIR: path.join(ctx.work, 'state')};
	const node = [process.execPath, ...shebangFlags(ctx.cli)];
	const ours = (label: string, ...args: string[]): Cmd => ({label, argv: [...node, ctx.cli, ...args], env});
	const clear = (...paths: string[]) => () => paths.forEach(p => fs.rmSync(p, {recursive: true, force: true}));
	const {install, quickstart} = ctx.main;
	const zipOurs = out('zip', 'ours.zip');
	const ensureOurZip = async () => {
		if (fs.existsSync(zipOurs)) return;
		fs.mkdirSync(path.dirname(zipOurs), {recursive: true});
		sh(`${node.map(part => JSON.stringify(part)).join(' ')} ${JSON.stringify(ctx.cli)} backup --repo ${JSON.stringify(install)} --target ${JSON.stringify(zipOurs)}`);
	};
	const excludesNote = 'ours leaves out repository/index and repository/cache (about 5 % of the bytes); the standard tools copy everything';
	const resync = (name: string, title: string, changed: boolean): PairSpec => ({
		name, title, target: {ratio: 1.0}, needs: ['rsync'], rounds: ctx.rounds,
		note: changed ? `before each round the same ${onePercent(ctx.main.paths).length} files (1 %) get a byte appended and a new mtime; then a 2.1 s pause so they are not "racy" (changed < 2 s before read) for our engine` : 'the target already holds an identical copy',
		setup: () => {
			if (fs.existsSync(out('resync', 'ours'))) return;
			fs.mkdirSync(out('resync'), {recursive: true});
			sh(`${node.map(part => JSON.stringify(part)).join(' ')} ${JSON.stringify(ctx.cli)} backup --repo ${JSON.stringify(install)} --target ${JSON.stringify(out('resync', 'ours'))}`);
			sh(`rsync -a --delete ${JSON.stringify(quickstart + '/')} ${JSON.stringify(out('resync', 'theirs') + '/')}`);
		},
		beforeRound: changed ? async () => {
			mutate(install, onePercent(ctx.main.paths));
			await new Promise(resolve => setTimeout(resolve, 2100));
		} : undefined,
		ours: {label: 'crx-backup backup (re-sync dir)', commands: () => [ours('crx-backup', 'backup', '--repo', install, '--target', out('resync', 'ours'))], outputs: () => [out('resync', 'ours', 'crx-backup-manifest.jsonl')]},
		theirs: [{label: 'rsync -a --delete', commands: () => [{label: 'rsync', argv: ['rsync', '-a', '--delete', `${quickstart}/`, `${out('resync', 'theirs')}/`]}]}],
	});

	const pairs: PairSpec[] = [
		{
			name: 'dir-backup', title: 'directory backup', target: {ratio: 0.8}, needs: ['cp'], rounds: ctx.rounds, note: excludesNote,
			// A backup never makes the folders above its target: out/dir is made here.
			ours: {label: 'crx-backup backup (dir)', prepare: () => (clear(out('dir', 'ours'))(), fs.mkdirSync(out('dir'), {recursive: true})), commands: () => [ours('crx-backup', 'backup', '--repo', install, '--target', out('dir', 'ours'))], outputs: () => [out('dir', 'ours', 'crx-backup-manifest.jsonl')]},
			theirs: [{label: 'cp -a', prepare: () => (clear(out('dir', 'theirs'))(), fs.mkdirSync(out('dir', 'theirs'), {recursive: true})), commands: () => [{label: 'cp', argv: ['cp', '-a', quickstart, out('dir', 'theirs')]}], outputs: () => [out('dir', 'theirs', 'crx-quickstart')]}],
		},
		resync('resync-unchanged', 're-sync, nothing changed', false),
		{
			name: 'zip-backup', title: 'zip backup', target: {ratio: 0.8}, needs: ['zip', 'cp'], rounds: ctx.rounds,
			note: `${excludesNote}; ours includes its staging copy and removing it; "cp -a + zip" is what AEM's own zip backup amounts to (staging left for an untimed rm)`,
			setup: () => void fs.mkdirSync(out('zip'), {recursive: true}),
			ours: {label: 'crx-backup backup (zip)', prepare: clear(zipOurs), commands: () => [ours('crx-backup', 'backup', '--repo', install, '--target', zipOurs)], outputs: () => [zipOurs]},
			theirs: [
				{label: 'zip -r -6', prepare: clear(out('zip', 'theirs.zip')), commands: () => [{label: 'zip', argv: ['zip', '-r', '-6', '-q', out('zip', 'theirs.zip'), 'crx-quickstart'], cwd: install}], outputs: () => [out('zip', 'theirs.zip')]},
				{label: 'cp -a + zip -r -6', prepare: () => (clear(out('zip', 'aem.zip'), out('zip', 'stage'))(), fs.mkdirSync(out('zip', 'stage'))),
					commands: () => [{label: 'cp', argv: ['cp', '-a', quickstart, out('zip', 'stage')]}, {label: 'zip', argv: ['zip', '-r', '-6', '-q', out('zip', 'aem.zip'), 'crx-quickstart'], cwd: out('zip', 'stage')}],
					outputs: () => [out('zip', 'aem.zip')]},
			],
		},
		{
			name: 'restore', title: 'restore of our zip', target: {ratio: 0.8}, needs: ['unzip'], rounds: ctx.rounds, setup: ensureOurZip,
			note: 'both sides read the zip our backup wrote; ours also checks every CRC and restores modes and times',
			ours: {label: 'crx-backup restore', prepare: clear(out('restore', 'ours')), commands: () => [ours('crx-backup', 'restore', zipOurs, '--to', out('restore', 'ours'))], outputs: () => [out('restore', 'ours', 'crx-quickstart')]},
			theirs: [{label: 'unzip -q', prepare: clear(out('restore', 'theirs')), commands: () => [{label: 'unzip', argv: ['unzip', '-q', zipOurs, '-d', out('restore', 'theirs')]}], outputs: () => [out('restore', 'theirs', 'crx-quickstart')]}],
		},
		{
			name: 'verify', title: 'verify of our zip', target: {ratio: 0.8}, needs: ['unzip'], rounds: ctx.rounds, setup: ensureOurZip,
			note: 'ours also matches every entry against the manifest and checks the tree restore would make',
			ours: {label: 'crx-backup verify', commands: () => [ours('crx-backup', 'verify', zipOurs)]},
			theirs: [{label: 'unzip -tq', commands: () => [{label: 'unzip', argv: ['unzip', '-tq', zipOurs]}]}],
		},
	];
	if (ctx.tui) pairs.push(tuiPair(ctx, ours, clear, out));
	pairs.push(resync('resync-changed', 're-sync, 1 % of files changed', true));
	pairs.push(linkDestPair(ctx.main, ctx.rounds, ours, ctx.cli, node, out));
	if (ctx.small) pairs.push(...memoryPairs(ctx, ctx.small, ours, clear, out));
	return pairs;
}

function tuiPair(ctx: PairContext, ours: (label: string, ...args: string[]) => Cmd, clear: (...paths: string[]) => () => void, out: (...parts: string[]) => string): PairSpec {
	const target = (round: number) => out('tui', `ours-${round}`);
	const side: Side = tuiBackupSide({cli: ctx.cli, nodeFlags: shebangFlags(ctx.cli), install: ctx.main.install, work: ctx.work, target, stateDir: path.join(ctx.work, 'state')});
	return {
		name: 'tui', title: 'backup under the TUI (dir)', target: {ratio: 1.05}, needs: ['tmux'], rounds: ctx.rounds,
		note: 'TUI: time from Enter to "Backup complete" on screen (polled every 50 ms), the preflight scan done before Enter; headless: the whole process',
		ours: {...side, prepare: round => (clear(target(round))(), fs.mkdirSync(out('tui'), {recursive: true}))},
		theirs: [{label: 'crx-backup backup (headless dir)', prepare: () => (clear(out('tui', 'theirs'))(), fs.mkdirSync(out('tui'), {recursive: true})), commands: () => [ours('crx-backup', 'backup', '--repo', ctx.main.install, '--target', out('tui', 'theirs'))], outputs: () => [out('tui', 'theirs', 'crx-backup-manifest.jsonl')]}],
	};
}

function memoryPairs(ctx: PairContext, small: Fixture, ours: (label: string, ...args: string[]) => Cmd, clear: (...paths: string[]) => () => void, out: (...parts: string[]) => string): PairSpec[] {
	const note = `${small.files.toLocaleString('en-US')} files; the target is our peak RSS, the time is for information`;
	// The zip small-zip left (made now when small-zip did not run).
	const ensureSmallZip = () => {
		if (fs.existsSync(out('small', 'ours.zip'))) return;
		fs.mkdirSync(out('small'), {recursive: true});
		runUntimed(ours('crx-backup', 'backup', '--repo', small.install, '--target', out('small', 'ours.zip')));
	};
	// The directory backup small-dir left (made now when small-dir did not run).
	const ensureSmallDir = () => {
		if (fs.existsSync(out('small', 'ours', 'crx-backup-manifest.jsonl'))) return;
		fs.mkdirSync(out('small'), {recursive: true});
		runUntimed(ours('crx-backup', 'backup', '--repo', small.install, '--target', out('small', 'ours')));
	};
	return [
		{
			name: 'small-dir', title: `${small.files.toLocaleString('en-US')} small files, directory`, target: {rssMiB: MEMORY_MIB}, needs: ['cp'], rounds: ctx.smallRounds, note,
			setup: () => void fs.mkdirSync(out('small'), {recursive: true}),
			ours: {label: 'crx-backup backup (dir)', prepare: clear(out('small', 'ours')), commands: () => [ours('crx-backup', 'backup', '--repo', small.install, '--target', out('small', 'ours'))], outputs: () => [out('small', 'ours', 'crx-backup-manifest.jsonl')]},
			theirs: [{label: 'cp -a', prepare: () => (clear(out('small', 'theirs'))(), fs.mkdirSync(out('small', 'theirs'), {recursive: true})), commands: () => [{label: 'cp', argv: ['cp', '-a', small.quickstart, out('small', 'theirs')]}]}],
		},
		{
			name: 'small-zip', title: `${small.files.toLocaleString('en-US')} small files, zip`, target: {rssMiB: MEMORY_MIB}, needs: ['zip'], rounds: ctx.smallRounds, note,
			setup: () => void fs.mkdirSync(out('small'), {recursive: true}),
			ours: {label: 'crx-backup backup (zip)', prepare: clear(out('small', 'ours.zip'), out('small', 'ours')), commands: () => [ours('crx-backup', 'backup', '--repo', small.install, '--target', out('small', 'ours.zip'))], outputs: () => [out('small', 'ours.zip')]},
			theirs: [{label: 'zip -r -6', prepare: clear(out('small', 'theirs.zip'), out('small', 'theirs')), commands: () => [{label: 'zip', argv: ['zip', '-r', '-6', '-q', out('small', 'theirs.zip'), 'crx-quickstart'], cwd: small.install}], outputs: () => [out('small', 'theirs.zip')]}],
		},
		{
			name: 'small-verify', title: `${small.files.toLocaleString('en-US')} small files, verify of our zip`, target: {rssMiB: MEMORY_MIB}, needs: ['unzip'], rounds: ctx.smallRounds, note,
			setup: ensureSmallZip,
			ours: {label: 'crx-backup verify', commands: () => [ours('crx-backup', 'verify', out('small', 'ours.zip'))]},
			theirs: [{label: 'unzip -tq', commands: () => [{label: 'unzip', argv: ['unzip', '-tq', out('small', 'ours.zip')]}]}],
		},
		{
			name: 'small-restore', title: `${small.files.toLocaleString('en-US')} small files, restore of our zip`, target: {rssMiB: MEMORY_MIB}, needs: ['unzip'], rounds: ctx.smallRounds, note,
			setup: ensureSmallZip,
			ours: {label: 'crx-backup restore', prepare: clear(out('small', 'restored')), commands: () => [ours('crx-backup', 'restore', out('small', 'ours.zip'), '--to', out('small', 'restored'))], outputs: () => [out('small', 'restored', 'crx-quickstart')]},
			theirs: [{label: 'unzip -q', prepare: clear(out('small', 'unzipped')), commands: () => [{label: 'unzip', argv: ['unzip', '-q', out('small', 'ours.zip'), '-d', out('small', 'unzipped')]}], outputs: () => [out('small', 'unzipped', 'crx-quickstart')]}],
		},
		{
			name: 'small-dir-verify', title: `${small.files.toLocaleString('en-US')} small files, verify of our directory backup`, target: {rssMiB: MEMORY_MIB}, needs: ['tar', 'cksum'], rounds: ctx.smallRounds, note,
			setup: ensureSmallDir,
			ours: {label: 'crx-backup verify', commands: () => [ours('crx-backup', 'verify', out('small', 'ours'))]},
			// Reading every byte of the backup once is what any check of it costs; tar's own /dev/null shortcut is avoided by the pipe.
			theirs: [{label: 'tar -c | cksum', commands: () => [{label: 'tar', argv: ['sh', '-c', 'tar -cf - . | cksum'], cwd: out('small', 'ours')}]}],
		},
		{
			name: 'small-dir-restore', title: `${small.files.toLocaleString('en-US')} small files, restore of our directory backup`, target: {rssMiB: MEMORY_MIB}, needs: ['cp'], rounds: ctx.smallRounds, note,
			setup: ensureSmallDir,
			ours: {label: 'crx-backup restore', prepare: clear(out('small', 'dir-restored')), commands: () => [ours('crx-backup', 'restore', out('small', 'ours'), '--to', out('small', 'dir-restored'))], outputs: () => [out('small', 'dir-restored', 'crx-quickstart')]},
			theirs: [{label: 'cp -a', prepare: () => (clear(out('small', 'dir-copied'))(), fs.mkdirSync(out('small', 'dir-copied'), {recursive: true})), commands: () => [{label: 'cp', argv: ['cp', '-a', path.join(out('small', 'ours'), 'crx-quickstart'), out('small', 'dir-copied')]}], outputs: () => [out('small', 'dir-copied', 'crx-quickstart')]}],
		},
		{
			// Re-syncs the directory small-dir left (made now when small-dir did not run): four walks of the source and one of the target, nothing copied.
			name: 'small-resync', title: `${small.files.toLocaleString('en-US')} small files, re-sync, nothing changed`, target: {rssMiB: MEMORY_MIB}, needs: ['rsync'], rounds: ctx.smallRounds, note,
			setup: () => {
				ensureSmallDir();
				sh(`rsync -a --delete ${JSON.stringify(small.quickstart + '/')} ${JSON.stringify(out('small', 'rsync') + '/')}`);
			},
			ours: {label: 'crx-backup backup (re-sync dir)', commands: () => [ours('crx-backup', 'backup', '--repo', small.install, '--target', out('small', 'ours'))], outputs: () => [out('small', 'ours', 'crx-backup-manifest.jsonl')]},
			theirs: [{label: 'rsync -a --delete', commands: () => [{label: 'rsync', argv: ['rsync', '-a', '--delete', `${small.quickstart}/`, `${out('small', 'rsync')}/`]}]}],
		},
	];
}

/** Runs one of our commands for a pair's setup (untimed); throws with its stderr when it fails. */
function runUntimed(cmd: Cmd): void {
	const result = spawnSync(cmd.argv[0]!, cmd.argv.slice(1), {env: {...process.env, ...cmd.env}, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe']});
	if (result.status !== 0) throw new Error(`${cmd.argv.join(' ')} failed (${result.status}): ${result.stderr.trim()}`);
}

/** The node flags of the CLI's shebang (`#!/usr/bin/env -S node FLAGS`): what an operator running `crx-backup` gets. */
export function shebangFlags(cli: string): string[] {
	const first = fs.readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '';
	const match = /^#!.*\bnode\b(.*)$/.exec(first);
	return match ? match[1]!.trim().split(/\s+/).filter(Boolean) : [];
}
