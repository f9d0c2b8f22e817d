import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {afterEach, describe, expect, it} from 'vitest';
import {cliPath} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {hasTmux, shellQuote, Terminal} from '../support/tmux.js';

/**
 * Issue 16 item 3 end to end: `crx-backup --freeze-cmd … --thaw-cmd …` opened the
 * TUI and ran stage 4 unblocked, without a word. Now the flags prefill Create
 * Backup and the backup runs them: the built CLI in a real terminal (tmux, 80×24).
 */
const skip = hasTmux() ? undefined : 'skipped: tmux is not installed (apt-get install tmux)';

let terminal: Terminal | undefined;
const folders: string[] = [];
afterEach(() => {
	terminal?.kill();
	terminal = undefined;
	for (const folder of folders.splice(0)) fs.rmSync(folder, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
});

describe.skipIf(skip !== undefined)(skip ?? 'TUI options given on the command line (tmux)', () => {
	it('--freeze-cmd, --thaw-cmd, --target and --delay given to the TUI prefill Create Backup and really run', {timeout: 60_000}, async () => {
		const root = fs.realpathSync(tempDir('crx-e2e-options-'));
		folders.push(root);
		const {install} = makeInstall(root);
		const log = path.join(root, 'freeze.log');
		const freeze = `echo frozen >> ${shellQuote(log)}`;
		const thaw = `echo thawed >> ${shellQuote(log)}`;
		const args = ['--repo', install, '--freeze-cmd', freeze, '--thaw-cmd', thaw, '--target', 'opts.zip', '--delay', '3'].map(shellQuote).join(' ');
		const script = `CRX_BACKUP_STATE_DIR=${shellQuote(path.join(root, 'state'))} ${shellQuote(process.execPath)} ${shellQuote(cliPath)} ${args}`;
		const tty = (terminal = new Terminal({columns: 80, rows: 24, command: ['sh', '-c', script], cwd: root}));

		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		const create = await tty.waitForScreen(/✔ ready: Enter starts the backup/);
		expect(create).toMatch(/› Target\s+opts\.zip/);
		expect(create).toMatch(/Delay\s+3\s+ms/);
		expect(create).toContain('▸ freeze/thaw set');
		tty.send('Enter');
		const done = await tty.waitForScreen(/✔ Backup complete {2}100%/, 40_000, /Backup failed|Backup cancelled/);
		expect(done).toMatch(/Writes\s+blocked for/);
		expect(fs.readFileSync(log, 'utf8')).toBe('frozen\nthawed\n');
		expect(fs.existsSync(path.join(root, 'opts.zip'))).toBe(true);
	});
});
