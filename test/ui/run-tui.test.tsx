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
