import {expect, test} from 'vitest';
import {killRepeatedly} from '../support/kill-run.js';

test('SIGKILL at 20 random moments of a zip backup: nothing half-written looks complete, the source is untouched, the next backup succeeds', async () => {
	const report = await killRepeatedly('zip', 20);
	console.log('zip kills:', JSON.stringify(report));
	expect(report.kills).toBe(20);
}, 480_000);
