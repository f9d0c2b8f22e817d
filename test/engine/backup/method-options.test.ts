import {describe, expect, it} from 'vitest';
import {defaultStopTimeoutMs} from '../../../source/engine/option-rules.js';
import {checkBackupOptions} from '../../../source/engine/options/check.js';

/** --method and its flags go through the one option rule the CLI and the TUI share. */
describe('method options', () => {
	it('defaults to online with a ten-minute stop timeout', () => {
		expect(checkBackupOptions({})).toMatchObject({method: 'online', stopTimeoutMs: defaultStopTimeoutMs});
		expect(defaultStopTimeoutMs).toBe(600_000);
		expect(checkBackupOptions({method: 'Offline', stopTimeout: '2.5'})).toMatchObject({method: 'offline', stopTimeoutMs: 2500});
	});

	it.each([
		[{method: 'hot'}, 'The method must be online, snapshot or offline (got "hot").'],
		[{method: 'offline', stopTimeout: '0'}, 'The stop timeout must be a number of seconds above 0 and at most 86400 (got "0").'],
		[{snapshotCmd: 'x'}, '--snapshot-cmd needs --method snapshot or offline: an online backup makes no snapshot.'],
		[{method: 'snapshot', snapshotReleaseCmd: 'x'}, '--snapshot-release-cmd needs --snapshot-cmd: there is no snapshot to release without one.'],
		[{method: 'snapshot', startCmd: 'x'}, '--start-cmd needs --method offline: only an offline backup stops and starts AEM.'],
		[{stopTimeout: '5'}, '--stop-timeout needs --method offline: only an offline backup stops and starts AEM.'],
		[{method: 'offline', freezeCmd: 'x'}, '--freeze-cmd is not used by --method offline: AEM is stopped, nothing writes.'],
	])('refuses %o', (raw, sentence) => {
		expect(() => checkBackupOptions(raw)).toThrow(sentence);
	});
});
