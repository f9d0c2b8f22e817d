import {afterEach, describe, expect, it} from 'vitest';
import {ProgressStore} from '../../source/progress/progress-store.js';
import {ProgressFigures} from '../../source/ui/components/job-progress.js';
import {BackupDetails} from '../../source/ui/screens/backup-details.js';
import {backupRowsFor} from '../../source/ui/state/steps.js';
import {fakeRecord} from '../support/fake-engine.js';
import {renderAt, waitForFrame, type Rendered} from '../support/render.js';

/**
 * An offline backup as every view tells it: AEM down for the copy (not "stage
 * 4"), one pass (no stages 2–4 in the checklist or the log), and while AEM stops
 * the progress view says so instead of "0 B so far".
 */
let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

describe('an offline backup in the TUI', () => {
	it('the details say the writes were blocked while AEM was down, for the downtime', async () => {
		const record = fakeRecord('offline-20250301-1000');
		record.manifest = {...record.manifest!, method: 'offline', writesBlockedMs: 4200, stages: [{stage: 1, files: 10, bytes: 1024, deleted: 0, durationMs: 900}]};
		rendered = renderAt(<BackupDetails record={record} />);
		const frame = await waitForFrame(rendered, 'Writes');
		expect(frame).toContain('blocked for 4.2 s while AEM was down');
		expect(frame).not.toContain('stage 4');
	});

	it('the checklist and the log list stage 1 and the zip, not stages 2–4', () => {
		expect(backupRowsFor('zip', false, 'offline').map(row => row.key)).toEqual(['1A', '1B', 'zip']);
		expect(backupRowsFor('directory', true, 'snapshot').map(row => row.key)).toEqual(['1A', '1B']);
		expect(backupRowsFor('zip', true, 'online').map(row => row.key)).toEqual(['1A', '1B', '2', '3', '4', 'zip']);
	});

	it('while AEM stops, the progress view says so', async () => {
		const store = new ProgressStore(() => 0);
		store.handle({type: 'aem', state: 'stopping'});
		rendered = renderAt(<ProgressFigures snapshot={store.snapshot()} />);
		const frame = await waitForFrame(rendered, 'Stopping AEM');
		expect(frame).toContain('Stopping AEM: the copy starts once its JVM has exited.');
		// Nothing is copied yet: no "0 B so far" beside it.
		expect(frame).not.toMatch(/\d B so far/);
		expect(frame).toMatch(/\d+ ms elapsed/);
	});
});
