import {pushBackup, usageError} from '../engine/index.js';
import type {PushSummary} from '../engine/types.js';
import {ProgressStore} from '../progress/progress-store.js';
import {backupArgument, listOptions} from './catalog-shared.js';
import type {CommandContext, Command} from './context.js';
import {bytes, duration} from '../words/format.js';
import {ProgressPrinter} from './progress-printer.js';

/** Pushes BACKUP to the restic repository REPO with restic's status lines as progress; shared by `push` and `backup --push`. */
export async function pushWithProgress(context: CommandContext, backup: string, resticRepo: string): Promise<PushSummary> {
	const printer = new ProgressPrinter(new ProgressStore(), context.stderr);
	printer.start();
	try {
		return await pushBackup({backup, resticRepo, list: await listOptions(context), signal: context.signal, onEvent: event => printer.handle(event)});
	} finally {
		printer.stop();
	}
}

export const pushLine = (summary: PushSummary) =>
	`✔ Pushed ${summary.backup} to ${summary.resticRepo} as snapshot ${summary.snapshotId} in ${duration(summary.durationMs)}: ${summary.filesNew} new, ${summary.filesChanged} changed, ${summary.filesUnmodified} unchanged files; ${bytes(summary.dataAdded)} added to the repository.\n`;

/** crx-backup push BACKUP --restic-repo REPO [--json] */
export const pushCommand: Command = async context => {
	const backup = backupArgument(context, 'push');
	if (!context.flags.resticRepo) throw usageError('push needs a restic repository to store the backup in: --restic-repo REPO, or RESTIC_REPOSITORY or RESTIC_REPOSITORY_FILE in the environment.');
	const summary = await pushWithProgress(context, backup, context.flags.resticRepo);
	context.stdout.write(context.flags.json ? `${JSON.stringify(summary)}\n` : pushLine(summary));
	return 0;
};
