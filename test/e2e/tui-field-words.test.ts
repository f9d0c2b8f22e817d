import {describe, expect, it} from 'vitest';
import {exitStatus, focusRow, keysLive, onCreate, sizes, tmuxCases, tmuxSkip, waitForTui, wrappedText} from '../support/tmux-flows.js';

/**
 * The TUI's messages in its own words, at 80×24 and 60×20: they named CLI flags
 * ("pass --snapshot-cmd, or use --method online"), which nobody types here. They
 * name the field and the key; the demo's prefilled AEM URL, which refuses any
 * freeze command a newcomer types, says which fields to clear.
 */
const {folder, startTui, openCreateOnInstall} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI messages name fields and keys (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a snapshot method that cannot run here names Snapshot cmd and Ctrl+O', {timeout: 60_000}, async size => {
		const run = await openCreateOnInstall(size, 'crx-e2e-words-');
		const {tty} = run;
		tty.send('C-o');
		const refused = await tty.waitForScreen(wrappedText('set Snapshot cmd in Options, or Ctrl+O for online or offline.'));
		expect(refused).not.toMatch(/pass\s+--snapshot-cmd|--method/);
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});

	it.each(sizes)('at $columns×$rows: in the demo a freeze command typed beside the prefilled AEM URL says which fields to clear', {timeout: 120_000}, async size => {
		const root = folder('crx-e2e-words-demo-');
		const run = startTui(size, root, ['--demo'], {CRX_BACKUP_DEMO_MIB: '3'});
		const {tty} = run;
		await waitForTui(tty);
		await tty.waitForScreen('crx-backup › Home', 60_000);
		await keysLive(tty);
		tty.send('c');
		await tty.waitForScreen(frame => onCreate(frame) && frame.includes('✔ ready: Enter starts the backup'), 30_000);
		tty.send('Tab', 'Tab', 'Space');
		await tty.waitForScreen(frame => frame.includes('Options ▾'));
		await focusRow(tty, 'Freeze cmd');
		tty.type('true');
		await tty.waitForScreen(frame => /Freeze cmd\s+true/.test(frame) && /^Checks\s+✖ fix AEM URL in Options above/m.test(frame));
		const aem = await focusRow(tty, 'AEM URL');
		expect(aem).toMatch(wrappedText('✖ AEM URL blocks writes through AEM itself: clear Freeze cmd and Thaw cmd, or clear AEM URL.'));
		expect(aem).not.toMatch(/leave out|--aem blocks/);
	});
});
