import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, jobFailed, literal, selectRow, sizes, tmuxCases, tmuxSkip, wrappedText} from '../support/tmux-flows.js';

/**
 * End to end, at 80×24 and 60×20, on real zips made by
 * the built CLI: a zip damaged after writing shows "damaged" and `r` refuses it;
 * a failed `v` replaces "✔ complete"; the restore wizard refuses to leave the
 * destination step for a zip that cannot be read (it went on to "confirm", then
 * failed) or for /proc/x (accepted as "a new folder"); a real restore into a
 * folder with a space prints a next step that pastes right (shell-quoted).
 */
const {folder, startTui} = tmuxCases();
const names = ['bad.zip', 'crc.zip', 'good.zip', 'late.zip'];

/** Zips made by the CLI next to the install: good, late (truncated once the wizard has listed it), bad (truncated), crc (a flipped byte). */
async function backups(root: string, install: string, state: string) {
	for (const name of ['good.zip', 'late.zip', 'bad.zip', 'crc.zip']) {
		const result = await runCli(['backup', '--repo', install, '--target', path.join(root, name)], {env: {CRX_BACKUP_STATE_DIR: state}});
		expect(result.code, result.stderr).toBe(0);
	}
	truncate(path.join(root, 'bad.zip'));
	// A byte in the middle of the biggest entry's data: the zip still lists, its CRC-32 no longer matches.
	const crc = path.join(root, 'crc.zip');
	const bytes = fs.readFileSync(crc);
	const at = bytes.indexOf(Buffer.from('data00000a.tar')) + 20_000;
	bytes[at] = bytes[at]! ^ 0xff;
	fs.writeFileSync(crc, bytes);
}

const truncate = (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI restore gates and statuses (tmux)', () => {
	it.each(sizes)('at $columns×$rows: damaged and failed-verify zips are refused; the wizard stops at step 2; the next step is quoted', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-restore-');
		const {install} = makeInstall(root);
		const state = path.join(root, `state-${size.columns}`);
		await backups(root, install, state);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;

		// Backups: one line per row (at 60 columns rows wrapped and the time was cut), bad.zip damaged.
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('b');
		const list = await tty.waitForScreen(frame => names.every(name => new RegExp(`^[› ] ${literal(name)}\\s`, 'm').test(frame)));
		expect(list).toMatch(/^[› ] bad\.zip\s+zip\s+[\d.]+ KiB\s+(?:\d{4}-)?\d\d-\d\d \d\d:\d\d\s+✖ damaged$/m);
		expect(list).toMatch(/^[› ] crc\.zip\s+zip\s+[\d.]+ KiB\s+(?:\d{4}-)?\d\d-\d\d \d\d:\d\d\s+✔ complete$/m);
		await selectRow(tty, 'bad.zip', names);
		await tty.waitForScreen('it was damaged after it was written');
		tty.send('r');
		await tty.waitForScreen(wrappedText('✖ bad.zip cannot be read as a zip: it is damaged or incomplete;'));

		// v on crc.zip: the verify's problem, and the row says damaged instead of ✔ complete; r refuses it.
		await selectRow(tty, 'crc.zip', names);
		tty.send('v');
		const verified = await tty.waitForScreen(frame => frame.includes('✖ 1 problem in crc.zip') && /^› crc\.zip\s.*✖ damaged \(verify\)$/m.test(frame), 30_000);
		expect(verified).toMatch(/CRC-32 is\s+[\da-f]{8}, the zip says\s+[\da-f]{8}/);
		tty.send('r');
		await tty.waitForScreen(wrappedText('✖ crc.zip failed its verify: it is damaged; choose another backup.'));

		// The wizard from Home: late.zip is listed whole, then damaged before it is chosen.
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		tty.send('r');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 1/5') && /^[› ] late\.zip\s/m.test(frame));
		truncate(path.join(root, 'late.zip'));
		await selectRow(tty, 'late.zip', ['good.zip', 'late.zip', 'crc.zip']);
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 2/5') && /✖ \S*late\.zip cannot be read as a zip/.test(frame.replaceAll('\n', ' ')), 20_000);
		// Enter, then a key typed into the field: keys are handled in order, so the field shows it on step 2 only if
		// Enter stayed there. (The suggested folder is selected: typing replaces it.)
		tty.send('Enter');
		tty.type('Z');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 2/5') && /^› Folder {2}Z$/m.test(frame));

		// Back to step 1, good.zip; /proc/x is refused with its reason, Enter stays there too.
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 1/5'));
		await selectRow(tty, 'good.zip', ['good.zip', 'late.zip', 'crc.zip']);
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 2/5') && frame.includes('› Folder'));
		tty.send('C-u');
		tty.type('/proc/x');
		await tty.waitForScreen(frame => frame.includes('› Folder  /proc/x') && /✖ The destination \/proc\/x is on proc/.test(frame));
		tty.send('Enter');
		tty.type('y');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 2/5') && frame.includes('› Folder  /proc/xy'));
		// Nothing from the refused steps reached confirm.
		expect(tty.frames.filter(frame => /Restore [345]\/5/.test(frame))).toEqual([]);

		// A folder with a space: restored, and the next step pastes right.
		const destination = path.join(root, `restored ${size.columns}`);
		tty.send('C-u');
		tty.type(destination);
		await tty.waitForScreen(frame => frame.includes(`› Folder  ${destination}`) && frame.includes('✔ a new folder, created by the restore:'));
		tty.send('Enter');
		await tty.waitForScreen('crx-backup › Restore 3/5');
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 4/5: confirm') && /Holds\s+zip · [\d,]+ files/.test(frame));
		tty.send('Enter');
		const done = await tty.waitForScreen(/✔ Restore complete {2}100%/, 40_000, jobFailed);
		expect(done).toMatch(wrappedText(`cd '${destination}' && crx-quickstart/bin/start`));
		expect(fs.readFileSync(path.join(destination, 'crx-quickstart/conf/sling.properties'), 'utf8')).toBe('sling.run.modes=author\n');

		expectCleanFrames(tty, size);
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
