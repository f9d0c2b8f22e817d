import {afterEach, describe, expect, it} from 'vitest';
import type {HealthStatus, StatusOptions} from '../../source/engine/types.js';
import {App, type AppProps} from '../../source/ui/app.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRecord, fakeRepository} from '../support/fake-engine.js';
import {renderAt, waitForFrame, type Rendered} from '../support/render.js';

/** The TUI's share of nightly runs: Home's health line, and the Backups screen marking what a --keep-* policy would prune. */
let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

const open = (engine: FakeEngine, props: Partial<AppProps> = {}) => {
	rendered = renderAt(<App engine={engine} repository={fakeRepository} theme={colourTheme} {...props} />, {columns: 80, rows: 24});
	return rendered;
};

const records = [
	fakeRecord('backup-20250301-1000.zip'),
	fakeRecord('backup-20250302-1000.zip', {created: '2025-03-02T10:00:00.000Z'}),
	fakeRecord('backup-20250303-1000.zip', {created: '2025-03-03T10:00:00.000Z'}),
];

/** A fake engine that also answers `status`, as the real one does. */
class HealthyEngine extends FakeEngine {
	constructor(private readonly health: HealthStatus) {
		super({records});
	}

	async status(_options: StatusOptions): Promise<HealthStatus> {
		return this.health;
	}
}

describe('nightly runs in the TUI', () => {
	it('Backups marks what the policy given on the command line would prune, and only then', async () => {
		const withPolicy = await waitForFrame(open(new FakeEngine({records}), {initialRoute: {screen: 'backups'}, policy: {last: 2}}), 'Policy');
		const rows = withPolicy.split('\n');
		// Names are cut to fit 80 columns: rows are told apart by their creation time.
		expect(rows.find(row => row.includes('2025-03-01 10:00') && row.includes('zip'))).toContain('✖ prune');
		expect(rows.find(row => row.includes('2025-03-03 10:00') && row.includes('zip'))).not.toContain('prune');
		expect(rows.find(row => row.includes('2025-03-02 10:00') && row.includes('zip'))).not.toContain('prune');
		rendered!.unmount();

		const without = await waitForFrame(open(new FakeEngine({records}), {initialRoute: {screen: 'backups'}}), '2025-03-01 10:00');
		expect(without).not.toContain('Policy');
		expect(without).not.toContain('prune');
	});

	it('Home shows the health at a glance, with a symbol as well as a colour', async () => {
		const health: HealthStatus = {
			state: 'stale', healthy: false, repository: fakeRepository.quickstart, checkedAt: '2025-03-04T13:00:00.000Z', maxAgeMs: 26 * 3_600_000,
			newest: {name: 'backup-20250303-1000.zip', path: '/opt/backup-20250303-1000.zip', kind: 'zip', created: '2025-03-03T10:00:00.000Z', ageMs: 27 * 3_600_000, bytes: 1},
			lastRun: {repository: fakeRepository.quickstart, target: '/opt/backup-20250303-1000.zip', startedAt: '', finishedAt: '', exitCode: 0, outcome: 'success', sentence: 'Backed up.'},
			running: false, free: {path: '/opt', bytes: 1},
		};
		const frame = await waitForFrame(open(new HealthyEngine(health)), 'stale');
		expect(frame).toMatch(/Health +⚠ stale: newest 27 h old \(max 26 h\), last run succeeded/);
	});
});
