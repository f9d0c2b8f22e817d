import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {FakeEngine, fakeRecord, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, tooWide, waitForFrame, type Rendered} from '../support/render.js';

let rendered: Rendered | undefined;
let temp: string;
beforeEach(async () => {
	temp = await fs.mkdtemp(path.join(os.tmpdir(), 'crx-ui-restore-'));
});
afterEach(async () => {
	rendered?.unmount();
	await fs.rm(temp, {recursive: true, force: true});
});

const backup = fakeRecord('backup-20250301-1000.zip');

async function replaceField(r: Rendered, current: string, text: string) {
	for (let i = 0; i < current.length; i++) r.stdin.write(keys.backspace);
	return sendAndWait(r, text, `Folder  ${text}`);
}

describe('Restore wizard', () => {
	it('steps forward and back with Esc, then restores with {backup, to, deleteIndex}', async () => {
		const engine = new FakeEngine({records: [backup]});
		const r = (rendered = renderAt(<App engine={engine} repository={fakeRepository} />));
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'r', 'Restore 1/5');
		let frame = await waitForFrame(r, '› backup-20250301-1000.zip');
		expect(tooWide(frame, 80)).toEqual([]);
		frame = await sendAndWait(r, keys.enter, '✔ a new folder');
		expect(frame).toContain('Restore 2/5');
		expect(frame).toContain('Folder  /opt/restored-backup-20250301-1000');

		// A folder that is not empty is refused as you type, and Enter stays put.
		await fs.writeFile(path.join(temp, 'x'), '');
		await replaceField(r, '/opt/restored-backup-20250301-1000', temp);
		await waitForFrame(r, 'is not empty (1 entry)');
		r.stdin.write(keys.enter);
		const target = path.join(temp, 'new');
		await sendAndWait(r, '/new', '✔ a new folder');
		expect(r.lastFrame()).toContain('Restore 2/5');

		frame = await sendAndWait(r, keys.enter, 'Restore 3/5');
		expect(frame).toContain('crx-quickstart/bin/start');
		await sendAndWait(r, keys.space, '[x] Delete crx-quickstart/repository/index');
		await sendAndWait(r, keys.escape, 'Restore 2/5');
		await sendAndWait(r, keys.enter, 'Restore 3/5');
		frame = await sendAndWait(r, keys.enter, 'Restore 4/5');
		expect(frame).toContain('deleted after restoring');
		expect(frame).toContain('2 scripts');
		frame = await sendAndWait(r, keys.enter, 'Restore complete  100%');
		expect(engine.callsTo('restore')).toEqual([[{backup: backup.path, to: target, deleteIndex: true, signal: undefined, onEvent: undefined}]]);
		expect(frame).toContain(`cd ${target} && crx-quickstart/bin/start`);
		// The finished checklist is no longer left above the screen (<Static>): `l` shows it.
		const log = await sendAndWait(r, 'l', 'crx-backup › Log');
		expect(log).toContain('✔ Verify the backup');
		expect(log).toContain('✔ Set file modes');
		await sendAndWait(r, keys.escape, 'Restore complete  100%');
		await sendAndWait(r, keys.enter, 'c create');
	});

	it('x asks before cancelling a running restore: n keeps it going, y cancels it and says so', async () => {
		const engine = new FakeEngine({records: [backup], tickMs: 150});
		const r = (rendered = renderAt(<App engine={engine} repository={fakeRepository} />));
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'r', '› backup-20250301-1000.zip');
		await sendAndWait(r, keys.enter, '✔ a new folder');
		await replaceField(r, '/opt/restored-backup-20250301-1000', path.join(temp, 'new'));
		await waitForFrame(r, `✔ a new folder, created by the restore: ${path.join(temp, 'new')}`);
		await sendAndWait(r, keys.enter, 'Restore 3/5');
		await sendAndWait(r, keys.enter, 'Restore 4/5');
		let frame = await sendAndWait(r, keys.enter, 'x cancel');
		expect(frame).toContain('Extract the files');
		await sendAndWait(r, 'x', 'Cancel the restore?');
		frame = await sendAndWait(r, 'n', frame => !frame.includes('Cancel the restore?'));
		expect(frame).toContain('x cancel');
		await sendAndWait(r, 'x', 'Cancel the restore?');
		frame = await sendAndWait(r, 'y', 'Restore cancelled');
		expect(frame).not.toContain('Restore complete');
		expect(engine.callsTo('restore')).toHaveLength(1);
	});

	it('opens on the destination when started from Backups, and Esc walks back to the list', async () => {
		const engine = new FakeEngine({records: [backup]});
		const r = (rendered = renderAt(<App engine={engine} repository={fakeRepository} />));
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'b', '› backup-20250301-1000.zip');
		await sendAndWait(r, 'r', 'Restore 2/5');
		await sendAndWait(r, keys.escape, 'Restore 1/5');
		await sendAndWait(r, keys.escape, 'Status');
	});
});
