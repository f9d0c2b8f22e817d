import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {CommandFailed, SkipPair, type Side, type SideSample} from './pair.js';

/**
 * Drives a backup through the TUI in a detached tmux session on a private socket
 * (never the user's or the e2e tests' server). The labels relied on, all from
 * source/ui: "Create backup" (home menu), key `c`, "Create Backup" (title),
 * "Target" (first field, focused, cursor at the end), "ready: Enter starts the
 * backup" (preflight passed), "Backup complete" (summary), "Backup failed" /
 * "Backup cancelled" (failure), Esc then `q` to quit.
 */
export const TUI_LABELS = {home: 'Create backup', form: 'Create Backup', field: 'Target', ready: 'ready: Enter starts the backup', done: 'Backup complete', failed: /Backup (failed|cancelled)/};

interface TuiOptions {
	cli: string;
	/** Node flags of the CLI's shebang (the headless side runs with them too). */
	nodeFlags: string[];
	install: string;
	work: string;
	stateDir: string;
	target: (round: number) => string;
}

const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export function tuiBackupSide(options: TuiOptions): Side {
	return {
		label: 'crx-backup TUI (dir)',
		outputs: round => [path.join(options.target(round), 'crx-backup-manifest.jsonl')],
		run: async round => runOnce(options, round),
	};
}

async function runOnce(options: TuiOptions, round: number): Promise<SideSample> {
	const socket = `crx-bench-${process.pid}`;
	const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	const screen = () => tmux('capture-pane', '-p', '-t', 'bench').stdout ?? '';
	const rssFile = path.join(options.work, `tui-rss-${round}`);
	const exitFile = path.join(options.work, `tui-exit-${round}`);
	fs.rmSync(rssFile, {force: true});
	fs.rmSync(exitFile, {force: true});
	// With the shebang's node flags, as the headless side runs: what an operator typing `crx-backup` gets.
	const node = [process.execPath, ...options.nodeFlags, options.cli, '--repo', options.install].map(quote).join(' ');
	const measured = gnuTime ? `${gnuTime} -f %M -o ${quote(rssFile)} ${node}` : node;
	const command = `env CRX_BACKUP_STATE_DIR=${quote(options.stateDir)} ${measured} 2>${quote(exitFile)}.stderr; echo $? > ${quote(exitFile)}; sleep 30`;
	const started = tmux('new-session', '-d', '-x', '100', '-y', '30', '-s', 'bench', command);
	if (started.status !== 0) throw new SkipPair(`tmux could not start a session: ${started.stderr.trim()}`);
	try {
		const waitFor = async (what: string | RegExp, timeoutMs: number, intervalMs = 50): Promise<string> => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const text = screen();
				if (typeof what === 'string' ? text.includes(what) : what.test(text)) return text;
				if (TUI_LABELS.failed.test(text)) throw new CommandFailed(`the TUI backup failed:\n${text.trim()}`);
				if (fs.existsSync(exitFile)) throw new SkipPair(`the TUI exited (${fs.readFileSync(exitFile, 'utf8').trim()}) before showing "${String(what)}": ${readTail(`${exitFile}.stderr`)}`);
				if (Date.now() > deadline) throw new SkipPair(`the TUI never showed "${String(what)}" (labels relied on: ${JSON.stringify(TUI_LABELS)}); last screen:\n${text.trim()}`);
				await sleep(intervalMs);
			}
		};
		await waitFor(TUI_LABELS.home, 30_000);
		tmux('send-keys', '-t', 'bench', 'c');
		await waitFor(TUI_LABELS.form, 10_000);
		await waitFor(TUI_LABELS.field, 10_000);
		// One key per write: Ink reads a burst of DELs as one unknown input, not as 80 Backspaces.
		for (let index = 0; index < 80; index++) {
			tmux('send-keys', '-t', 'bench', 'BSpace');
			await sleep(2);
		}
		tmux('send-keys', '-t', 'bench', '-l', options.target(round));
		await waitFor(path.basename(options.target(round)), 10_000);
		await waitFor(TUI_LABELS.ready, 120_000);
		const t0 = process.hrtime.bigint();
		tmux('send-keys', '-t', 'bench', 'Enter');
		await waitFor(TUI_LABELS.done, 3_600_000);
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		tmux('send-keys', '-t', 'bench', 'Escape');
		await sleep(300);
		tmux('send-keys', '-t', 'bench', 'q');
		const deadline = Date.now() + 15_000;
		while (!fs.existsSync(exitFile) && Date.now() < deadline) await sleep(100);
		const code = fs.existsSync(exitFile) ? fs.readFileSync(exitFile, 'utf8').trim() : 'still running';
		if (code !== '0') throw new CommandFailed(`the TUI did not quit with 0 after Esc, q (got ${code}): ${readTail(`${exitFile}.stderr`)}`);
		const peak = gnuTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : undefined;
		return {ms, peakKiB: {'crx-backup TUI': peak}};
	} finally {
		tmux('kill-server');
	}
}

function readTail(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8').slice(-2000).trim() || '(no stderr)';
	} catch {
		return '(no stderr)';
	}
}
