import path from 'node:path';
import {afterFailedBackup, backupThenNightly, checkAfterBackup, checkDrillIsolation, checkBackupOptions, defaultTargetName, recordFailure, usageError, type NightlyBackupOutcome} from '../engine/index.js';
import {ProgressStore} from '../progress/progress-store.js';
import type {AfterBackupRequest, BackupOptions} from '../engine/types.js';
import type {Command} from './context.js';
import {bytes, duration, escapeControls} from '../words/format.js';
import {ProgressPrinter} from './progress-printer.js';
import {formatPrune} from './prune-printer.js';
import {pushLine, pushWithProgress} from './push.js';
import {methodLine} from '../words/method-line.js';
import {drillEventLine, drillReport} from '../words/drill.js';

const day = 24 * 60 * 60 * 1000;

export const backupCommand: Command = async context => {
	const {input, flags, engine, stdout, stderr, signal} = context;
	if (input.length > 0) throw usageError(`backup takes no arguments (got "${input[0]}"); use --target to name the backup.`);
	const options = checkBackupOptions(flags);
	// The nightly steps (--keep-*, --push, --on-success/--on-failure) are checked with the backup's options, before anything is written.
	const after = checkAfterBackup(flags);
	// --drill where no network namespace can be made is refused now, before the backup, not after it.
	if (after.drill) checkDrillIsolation(after.drill.allowNetwork);
	const onWarning = (message: string) => stderr.write(`⚠ ${escapeControls(message)}\n`);
	const repository = await engine.resolveRepository(flags.repo);
	const night = {after, dirs: flags.dir, onWarning};
	let target: ReturnType<typeof engine.resolveTarget>;
	try {
		target = engine.resolveTarget(repository, flags.target);
	} catch (error) {
		// A nightly run refused here (its backup disk unmounted) wrote nothing, but it is a failed night:
		// recorded for `status` and given to --on-failure, like a refusal from inside the engine.
		const given = path.resolve(repository.backupDir, flags.target ?? defaultTargetName());
		recordFailure({repository: repository.quickstart, target: given}, error);
		await afterFailedBackup(engine, {...night, backup: {repository, signal}}, given, error);
		throw error;
	}

	const printer = new ProgressPrinter(new ProgressStore(), stderr);
	printer.start();
	// The live progress line ends with the backup, before the nightly steps print anything.
	const steps = {
		backup: async (backup: BackupOptions) => {
			try {
				return await engine.backup(backup);
			} finally {
				printer.stop();
			}
		},
		afterBackup: async (request: AfterBackupRequest) => engine.afterBackup(request),
	};
	let outcome: NightlyBackupOutcome;
	try {
		outcome = await backupThenNightly(steps, {
			...night,
			backup: {
				...options, repository, target, force: flags.force, signal, onEvent: event => {
					// The engine counts the repository before stage 1: warn then, before any copying.
					if (event.type === 'start' && event.estimatedDelayMs > day) {
						stderr.write(`⚠ The delay adds about ${Math.round(event.estimatedDelayMs / 3_600_000)} hours: a backup that runs over 24 hours should be discarded.\n`);
					}
					printer.handle(event);
				},
			},
			// Pushed only after a good backup (and its prune), with restic's progress; a failed push fails the run (exit 1), the backup itself stays good.
			...(flags.push === undefined ? {} : {push: async (backup: string, resticRepo: string) => pushWithProgress(context, backup, resticRepo)}),
			onDrillEvent: event => {
				const line = drillEventLine(event);
				if (line) stderr.write(`${line}\n`);
			},
		});
	} finally {
		printer.stop();
	}
	const {summary} = outcome;
	const prune = outcome.after?.prune;
	const pushed = outcome.after?.pushed;
	const drilled = outcome.after?.drill;
	if (flags.json) {
		stdout.write(`${JSON.stringify({...summary, ...(prune ? {prune} : {}), ...(pushed ? {push: pushed} : {}), ...(drilled ? {drill: drilled} : {})})}\n`);
	} else {
		const blocked = summary.writesBlocked ? `writes blocked ${duration(summary.writesBlockedMs)}` : summary.writesBlockingNotConfirmed ? 'writes blocking not confirmed' : 'writes were not blocked (no --freeze-cmd)';
		stdout.write(`✔ Backed up ${summary.files} files, ${bytes(summary.bytes)} to ${summary.target} in ${duration(summary.durationMs)}; ${blocked}.\n`);
		const method = methodLine(summary);
		if (method) stdout.write(`${method}\n`);
		if (summary.over24h) stdout.write('⚠ It ran longer than 24 hours: discard it.\n');
		if (prune) stdout.write(formatPrune(prune));
		if (pushed) stdout.write(pushLine(pushed));
		if (drilled) stdout.write(drillReport(drilled));
	}
	// A prune that could not delete everything, or a failed push: exit 1, after the failure hook ran; the backup stays good.
	if (outcome.after?.failure) throw outcome.after.failure;
	return 0;
};
