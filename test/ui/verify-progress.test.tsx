import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRecord, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, tooWide, waitForFrame, type Rendered} from '../support/render.js';

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

const record = fakeRecord('backup-20250301-1000.zip');

function open(engine: FakeEngine) {
	let quitCode: number | undefined;
	rendered = renderAt(<App engine={engine} repository={fakeRepository} theme={colourTheme} onQuit={code => (quitCode = code)} />, {columns: 80, rows: 24});
	return {r: rendered, quitCode: () => quitCode};
}

/** Backups → v on a verify the fake engine holds halfway: the progress view is up. */
async function verifying(engine: FakeEngine) {
	const opened = open(engine);
	await waitForFrame(opened.r, 'Create backup');
	await sendAndWait(opened.r, 'b', 'Status');
	const frame = await sendAndWait(opened.r, 'v', frame => frame.includes('617/1,234 files') && frame.includes('x cancel'));
	return {...opened, frame};
}

describe('Verify in the TUI', () => {
	it('shows the verify progress, and x then y cancels it', async () => {
		const engine = new FakeEngine({records: [record], holdVerify: true});
		const {r, frame} = await verifying(engine);
		expect(frame).toContain('Verifying backup-20250301-1000.zip');
		expect(frame).toContain('crx-quickstart/repository/segmentstore/data00001a.tar');
		expect(frame).toMatch(/step 100 MiB of 200 MiB/);
		expect(tooWide(frame, 80)).toEqual([]);
		await sendAndWait(r, 'x', 'Cancel the verify? Nothing is written either way. [y/N]');
		const done = await sendAndWait(r, 'y', 'Verify of backup-20250301-1000.zip cancelled.');
		expect(engine.verifySignal?.aborted).toBe(true);
		// Back on the list, with its own keys.
		expect(done).toContain('d delete');
		expect(done).not.toContain('x cancel');
	});

	it('n keeps the verify running, and it finishes with its verdict', async () => {
		const engine = new FakeEngine({records: [record], holdVerify: true});
		const {r} = await verifying(engine);
		await sendAndWait(r, 'x', '[y/N]');
		await sendAndWait(r, 'n', frame => !frame.includes('[y/N]') && frame.includes('x cancel'));
		expect(engine.verifySignal?.aborted).toBe(false);
		engine.release();
		await waitForFrame(r, '✔ Intact: backup-20250301-1000.zip');
	});

	it('Ctrl+C twice cancels a running verify, then quits with 130', async () => {
		const engine = new FakeEngine({records: [record], holdVerify: true});
		const {r, quitCode} = await verifying(engine);
		r.stdin.write(keys.ctrlC + keys.ctrlC);
		await r.waitUntilExit();
		expect(engine.verifySignal?.aborted).toBe(true);
		expect(quitCode()).toBe(130);
	});
});
