import {describe, expect, it} from 'vitest';
import {exitStatus, expectCleanFrames, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * The Options section at 80×24 and 60×20: 27 options in one list that only
 * up/down moved through (Keep last 18 presses away; "↓ 25 more" at 60×20). They
 * are grouped under headings (Freeze, AEM, Method, Nightly, Datastore, Excludes,
 * declared with each option in the registry); PgUp/PgDn jump group by group,
 * g/G to the first/last option, and a letter off a text field to the option it starts.
 */
const {openCreateOnInstall} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI options grouped (tmux)', () => {
	it.each(sizes)('at $columns×$rows: k on the Options header reaches Keep last under Nightly; PgDn, g and G jump', {timeout: 60_000}, async size => {
		const run = await openCreateOnInstall(size, 'crx-e2e-groups-');
		const {tty} = run;
		tty.send('Tab', 'Tab');
		await tty.waitForScreen(frame => /^› Options ▸/m.test(frame));

		// One key: the section opens on Keep last, under its heading.
		tty.send('k');
		const keep = await tty.waitForScreen(frame => /› Keep last/.test(frame));
		expect(keep).toMatch(/^ {2}Nightly$/m);
		expect(keep).toContain('Options ▾');

		// Esc closes the section onto its header; four PgDn: Freeze, AEM, Method, Nightly's first, Keep last.
		tty.send('Escape');
		await tty.waitForScreen(frame => /^› Options ▸/m.test(frame));
		tty.send('NPage');
		await tty.waitForScreen(frame => /› Freeze cmd/.test(frame) && /^ {2}Freeze$/m.test(frame));
		tty.send('NPage', 'NPage', 'NPage');
		await tty.waitForScreen(frame => /› Keep last/.test(frame));
		tty.send('PPage');
		await tty.waitForScreen(frame => /› Snapshot cmd/.test(frame) && /^ {2}Method$/m.test(frame));

		// Off a text field (the header), G is the last option and g the first.
		tty.send('Escape');
		await tty.waitForScreen(frame => /^› Options ▸/m.test(frame));
		tty.send('G');
		await tty.waitForScreen(frame => /› Exclude/.test(frame) && /^ {2}Excludes$/m.test(frame));
		tty.send('Escape');
		await tty.waitForScreen(frame => /^› Options ▸/m.test(frame));
		tty.send('g');
		await tty.waitForScreen(frame => /› Freeze cmd/.test(frame));
		expectCleanFrames(tty, size);
		tty.send('Escape');
		await tty.waitForScreen(frame => /^› Options ▸/m.test(frame));
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
