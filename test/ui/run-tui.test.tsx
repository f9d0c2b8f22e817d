import {afterEach, describe, expect, it, vi} from 'vitest';
import {runTui} from '../../source/ui/run-tui.js';
import {FakeEngine} from '../support/fake-engine.js';

afterEach(() => vi.restoreAllMocks());

describe('runTui', () => {
	it('prints the one-sentence message and returns its exit code when the repository does not resolve', async () => {
		const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		const code = await runTui({engine: new FakeEngine(), repo: '/nowhere'});
		expect(code).toBe(2);
		expect(write).toHaveBeenCalledWith('crx-backup: No crx-quickstart folder at /nowhere: pass --repo with the AEM install folder.\n');
	});
});

describe('runTui with backup flags', () => {
	it('refuses a bad option before the screen opens, with the CLI\'s one sentence and exit 2', async () => {
		const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		const engine = new FakeEngine();
		expect(await runTui({engine, flags: {thawCmd: 'echo thaw'}})).toBe(2);
		expect(write).toHaveBeenCalledWith('crx-backup: --thaw-cmd needs --freeze-cmd: there is nothing to thaw without a freeze.\n');
		expect(await runTui({engine, flags: {delay: 'soon'}})).toBe(2);
		expect(write).toHaveBeenLastCalledWith(expect.stringMatching(/^crx-backup: The delay must be a whole number of milliseconds.*\n$/));
		expect(engine.callsTo('resolveRepository')).toHaveLength(0);
	});
});
