/**
 * Re-captures the TUI screenshots of docs/tui.md: the built CLI in tmux at 80×24 on a
 * generated repository that a live writer keeps changing, each screen taken with
 * `capture-pane -p` and printed as a fenced text block (paste them into docs/tui.md).
 * No maintenance-window warning: the screens do not depend on the hour they are taken at.
 * Run: npm run build && npx tsx scripts/screenshots.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {generateRepository} from '../source/demo/generate.js';
import {startLiveWriter} from '../source/demo/live-writer.js';
import {cliPath} from '../test/support/cli.js';
import {shellQuote, Terminal} from '../test/support/tmux.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crx-shots-')));
const install = path.join(root, 'aem');
const {quickstart} = await generateRepository(install, {sizeBytes: 48 * 1024 * 1024, seed: 7});
const writer = await startLiveWriter({quickstart, controlDir: path.join(root, 'writer-control')});
const command = `${shellQuote(process.execPath)} ${shellQuote(cliPath)} --repo ${shellQuote(install)}`;
const tty = new Terminal({columns: 80, rows: 24, command: ['sh', '-c', `CRX_BACKUP_MAINTENANCE_WINDOW=none CRX_BACKUP_STATE_DIR=${shellQuote(path.join(root, 'state'))} ${command}`], cwd: root});
const shot = (title: string, frame: string) => process.stdout.write(`${title}:\n\n\`\`\`\n${frame.replace(/\n+$/, '')}\n\`\`\`\n\n`);
try {
	shot('Home', await tty.waitForScreen(frame => /Size\s+[\d.]+ MiB/.test(frame) && frame.includes('no backups yet'), 30_000));
	tty.send('c');
	shot('Create Backup', await tty.waitForScreen('ready: Enter starts the backup'));
	tty.send('Enter');
	shot('Progress', await tty.waitForScreen(frame => /^✔ Stage 1 phase B/m.test(frame) && /\d+%$/m.test(frame), 60_000));
	await tty.waitForScreen('Backup complete', 120_000);
	tty.send('Enter');
	shot('Backups', await tty.waitForScreen(/^› backup-\d{8}-\d{4}\.zip/m));
	tty.send('q');
} finally {
	tty.kill();
	await writer.stop();
	fs.rmSync(root, {recursive: true, force: true});
}
