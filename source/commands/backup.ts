import path from 'node:path';
import {checkBackupOptions, defaultTargetName, recordFailure, usageError} from '../engine/index.js';
import {ProgressStore} from '../progress/progress-store.js';
import type {BackupSummary} from '../engine/types.js';
import type {Command} from './context.js';
import {bytes, duration} from '../format.js';
import {ProgressPrinter} from './progress-printer.js';
import {afterBackup} from './backup-after.js';
import {pushLine, pushWithProgress} from './push.js';
import {methodLine} from '../method-line.js';

const day = 24 * 60 * 60 * 1000;

export const backupCommand: Command = async context => {
	const {input, flags, engine, stdout, stderr, signal} = context;
	if (input.length > 0) throw usageError(`backup takes no arguments (got "${input[0]}"); use --target to name the backup.`);
	const options = checkBackupOptions(flags);
	const repository = await engine.resolveRepository(flags.repo);
	let target: ReturnType<typeof engine.resolveTarget>;
	try {
		target = engine.resolveTarget(repository, flags.target);
	} catch (error) {
		// A nightly run refused here (its backup disk unmounted) wrote nothing, but it is a failed night:
		// recorded for `status` and given to --on-failure, like a refusal from inside the engine.
		const given = path.resolve(repository.backupDir, flags.target ?? defaultTargetName());
		recordFailure({repository: repository.quickstart, target: given}, error);
		return afterBackup(context, repository, given).failed(error);
	}
	const after = afterBackup(context, repository, target.path);

	const printer = new ProgressPrinter(new ProgressStore(), stderr);
	printer.start();
	let summary: BackupSummary;
	try {
		summary = await engine.backup({
			...options, repository, target, force: flags.force, signal, onEvent: event => {
				// The engine counts the repository before stage 1: warn then, before any copying.
				if (event.type === 'start' && event.estimatedDelayMs > day) {
					stderr.write(`⚠ The delay adds about ${Math.round(event.estimatedDelayMs / 3_600_000)} hours: a backup that runs over 24 hours should be discarded.\n`);
				}
				printer.handle(event);
			},
		});
	} catch (error) {
		printer.stop();
		return after.failed(error);
	} finally {
		printer.stop();
	}
	// Pushed only after a good backup (and its prune), with restic's progress; a failed push fails the run (exit 1), the backup itself stays good.
	const push = (backup: string, resticRepo: string) => pushWithProgress(context, backup, resticRepo);
	const {prune, pushed, finish} = await after.succeeded(flags.push === undefined ? undefined : push);
	if (flags.json) {
		stdout.write(`${JSON.stringify({...summary, ...(prune ? {prune} : {}), ...(pushed ? {push: pushed} : {})})}\n`);
	} else {
		const blocked = summary.writesBlocked ? `writes blocked ${duration(summary.writesBlockedMs)}` : summary.writesBlockingNotConfirmed ? 'writes blocking not confirmed' : 'writes were not blocked (no --freeze-cmd)';
		stdout.write(`✔ Backed up ${summary.files} files, ${bytes(summary.bytes)} to ${summary.target} in ${duration(summary.durationMs)}; ${blocked}.\n`);
		const method = methodLine(summary);
		if (method) stdout.write(`${method}\n`);
		if (summary.over24h) stdout.write('⚠ It ran longer than 24 hours: discard it.\n');
		if (prune) stdout.write(after.formatPrune(prune));
		if (pushed) stdout.write(pushLine(pushed));
	}
	finish();
	return 0;
};
