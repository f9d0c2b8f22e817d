import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {failure} from '../../source/engine/platform/errors.js';
import {App} from '../../source/ui/app.js';
import {FakeEngine, fakeRecord, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, waitForFrame, type Rendered} from '../support/render.js';

/** Each wizard step refuses to go on while its check fails; statuses tell the truth. */
let rendered: Rendered | undefined;
let temp: string;
beforeEach(async () => {
	temp = await fs.mkdtemp(path.join(os.tmpdir(), 'crx-ui-gates-'));
});
afterEach(async () => {
	rendered?.unmount();
	await fs.rm(temp, {recursive: true, force: true});
});

const zip = fakeRecord('backup-20250301-1000.zip');
const open = (engine: FakeEngine) => (rendered = renderAt(<App engine={engine} repository={fakeRepository} />));

/** From Home through the list to the destination, typed fresh (the suggestion is selected: typing replaces it). */
async function toOptions(r: Rendered, to: string) {
	await waitForFrame(r, 'Create backup');
	await sendAndWait(r, 'r', '› backup-20250301-1000.zip');
	await sendAndWait(r, keys.enter, 'Restore 2/5');
	await sendAndWait(r, to, frame => frame.includes(`Folder  ${to}`) && frame.includes('✔ a new folder'));
	return sendAndWait(r, keys.enter, 'Restore 3/5');
}

describe('restore wizard gates', () => {
	it('a zip the engine cannot read never reaches confirm: step 3 says why and Enter stays', async () => {
		const engine = new FakeEngine({records: [zip]});
		engine.planRestore = async backup => {
			throw failure(`${String(backup)} cannot be read as a zip (no end of central directory): it is damaged or not a backup.`);
		};
		const r = open(engine);
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'r', '› backup-20250301-1000.zip');
		await sendAndWait(r, keys.enter, 'Restore 2/5');
		// Known as soon as the backup is read: the destination step already refuses to go on, and says why.
		await waitForFrame(r, frame => frame.includes('✔ a new folder') && frame.includes('✖ /opt/backup-20250301-1000.zip cannot be read as a zip'));
		r.stdin.write(keys.enter);
		await new Promise(resolve => setTimeout(resolve, 300));
		const frame = await waitForFrame(r, 'Restore 2/5');
		expect(frame).not.toMatch(/Restore [345]\/5/);
		expect(frame.match(/cannot be read as a zip/g)).toHaveLength(1);
		expect(engine.callsTo('restore')).toHaveLength(0);
	});

	it('a directory backup still marked in progress needs Force; Only and Force reach the restore', async () => {
		const engine = new FakeEngine({records: [zip], plan: {inProgress: true, kind: 'directory'}});
		const r = open(engine);
		await toOptions(r, path.join(temp, 'new'));
		await waitForFrame(r, 'still marked in progress and may be incomplete');
		r.stdin.write(keys.enter);
		await new Promise(resolve => setTimeout(resolve, 200));
		expect(r.lastFrame()).not.toContain('Restore 4/5');
		await sendAndWait(r, keys.down, '› Only');
		await sendAndWait(r, 'repository/segmentstore, install', '› Only  repository/segmentstore, install');
		await sendAndWait(r, keys.down, '› [ ] Force');
		await sendAndWait(r, ' ', frame => frame.includes('[x] Force') && !frame.includes('may be incomplete:'));
		const frame = await sendAndWait(r, keys.enter, 'Restore 4/5');
		expect(frame).toContain('repository/segmentstore, install');
		expect(frame).toContain('restores it though it is marked in progress');
		await sendAndWait(r, keys.enter, 'Restore complete');
		expect(engine.callsTo('restore')[0]![0]).toMatchObject({only: ['repository/segmentstore', 'install'], force: true, deleteIndex: false});
	});

	it('the next step is shell-quoted, so a folder with a space pastes right', async () => {
		const engine = new FakeEngine({records: [zip]});
		const r = open(engine);
		const to = path.join(temp, 'aem restore');
		await toOptions(r, to);
		await sendAndWait(r, keys.enter, 'Restore 4/5');
		const frame = await sendAndWait(r, keys.enter, 'Restore complete');
		expect(frame).toContain(`cd '${to}' && crx-quickstart/bin/start`);
	});

	it('a cancelled restore says so once, and what is left', async () => {
		const engine = new FakeEngine({records: [zip], tickMs: 150});
		const r = open(engine);
		await toOptions(r, path.join(temp, 'new'));
		await sendAndWait(r, keys.enter, 'Restore 4/5');
		await sendAndWait(r, keys.enter, 'x cancel');
		await sendAndWait(r, 'x', 'Cancel the restore?');
		const frame = await sendAndWait(r, 'y', 'Restore cancelled');
		expect(frame).not.toMatch(/Restore cancelled: Restore cancelled/i);
		expect(frame).toContain('nothing is left behind');
	});
});

describe('Backups: refusals up front and true statuses', () => {
	const running = fakeRecord('backup-20250302-0900', {kind: 'directory', status: 'running', created: '2025-03-02T09:00:00.000Z', manifest: undefined});
	const damaged = fakeRecord('backup-20250228-1000.zip', {status: 'incomplete', created: '2025-02-28T10:00:00.000Z', manifest: undefined});

	it('r and d on a running backup refuse at once with the reason; its details say it is still running', async () => {
		const engine = new FakeEngine({records: [running, zip]});
		const r = open(engine);
		await waitForFrame(r, 'Create backup');
		let frame = await sendAndWait(r, 'b', '› backup-20250302-0900');
		expect(frame).toContain('Still running: the manifest is written when the backup finishes.');
		expect(frame).not.toContain('did not finish');
		frame = await sendAndWait(r, 'r', 'still being written by a running backup');
		expect(frame).not.toContain('Restore 2/5');
		frame = await sendAndWait(r, 'd', 'a backup is still writing it');
		expect(frame).not.toContain('[y/N]');
		expect(engine.callsTo('remove')).toHaveLength(0);
	});

	it('a zip that cannot be read shows damaged, not incomplete, and r refuses it', async () => {
		const engine = new FakeEngine({records: [damaged]});
		const r = open(engine);
		await waitForFrame(r, 'Create backup');
		let frame = await sendAndWait(r, 'b', '› backup-20250228-1000.zip');
		expect(frame).toContain('✖ damaged');
		expect(frame).not.toContain('incomplete');
		frame = await sendAndWait(r, 'r', 'cannot be read as a zip');
		expect(frame).not.toContain('Restore 2/5');
	});

	it('a failed verify replaces "✔ complete" in the list', async () => {
		const engine = new FakeEngine({records: [zip], verify: {ok: false, files: 3, bytes: 10, problems: [{path: 'crx-quickstart/a.tar', problem: 'CRC mismatch'}]}});
		const r = open(engine);
		await waitForFrame(r, 'Create backup');
		expect(await sendAndWait(r, 'b', 'Status')).toContain('✔ complete');
		const frame = await sendAndWait(r, 'v', '✖ 1 problem in backup-20250301-1000.zip');
		expect(frame).toContain('✖ damaged (verify)');
		expect(frame).not.toContain('✔ complete');
		expect(await sendAndWait(r, 'r', 'failed its verify')).not.toContain('Restore 2/5');
	});

	it('the details\' time includes zipping (the manifest is written before it)', async () => {
		// The fake's manifest: started 10:00:00, finished 10:01:00; the zip was done 30 s later.
		const zipped = fakeRecord('backup-20250301-1000.zip', {zipWrittenAt: '2025-03-01T10:01:30.000Z'});
		const r = open(new FakeEngine({records: [zipped]}));
		await waitForFrame(r, 'Create backup');
		const frame = await sendAndWait(r, 'b', 'Started');
		expect(frame).toContain('took 1 min 30 s with zipping');
	});
});
