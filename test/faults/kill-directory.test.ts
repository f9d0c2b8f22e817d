import {expect, test} from 'vitest';
import {killRepeatedly} from '../support/kill-run.js';

test('SIGKILL at 20 random moments of a directory backup: nothing half-written looks complete, the source is untouched, the next backup succeeds', async () => {
	const report = await killRepeatedly('directory', 20);
	console.log('directory kills:', JSON.stringify(report));
	expect(report.kills).toBe(20);
}, 480_000);
