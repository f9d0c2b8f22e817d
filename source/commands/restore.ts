import {parseResticRef, restoreFromRestic, usageError} from '../engine/index.js';
import {ProgressStore} from '../progress/progress-store.js';
import type {RestoreSummary} from '../engine/types.js';
import {nextStep} from '../words/restore-next-step.js';
import {backupArgument, listOptions} from './catalog-shared.js';
import type {Command} from './context.js';
import {ProgressPrinter} from './progress-printer.js';
import {bytes} from '../words/format.js';

function formatSummary(backup: string, summary: RestoreSummary): string {
	const lines = [`✔ Restored ${backup} into ${summary.to}: ${summary.files} files, ${bytes(summary.bytes)}.`];
	if (summary.madeExecutable.length > 0) {
		lines.push(`The zip stored no unix modes; made executable: ${summary.madeExecutable.join(', ')}.`);
	}
	if (summary.deletedIndex) lines.push('Deleted crx-quickstart/repository/index: AEM rebuilds it on start.');
	if (summary.datastore) lines.push(`Restored the external datastore into ${summary.datastore.to}${summary.datastore.pointedConfig ? '; its configuration now points there' : ''}.`);
	const next = nextStep(summary);
	if (next.before) lines.push(`⚠ ${next.before}`);
	lines.push(`Next step: ${next.command}`);
	return lines.join('\n') + '\n';
}

/** crx-backup restore BACKUP --to DIR [--delete-index] [--only PATH]... [--force] [--json] */
export const restoreCommand: Command = async context => {
	const backup = backupArgument(context, 'restore');
	const {flags} = context;
	if (!flags.to) throw usageError('restore needs --to DIR: a new or empty folder to restore into.');
	const fromRestic = parseResticRef(backup);
	const record = fromRestic ? undefined : await context.engine.find(backup, await listOptions(context));
	const progress = new ProgressPrinter(new ProgressStore(), context.stderr);
	progress.start();
	let summary: RestoreSummary;
	try {
		const options = {to: flags.to, deleteIndex: flags.deleteIndex, only: flags.only, force: flags.force, datastoreTo: flags.datastoreTo, pointConfig: flags.pointConfig, signal: context.signal};
		// A restic snapshot is fetched into a staging folder, then restored like any local backup (restoreFromRestic).
		summary = record
			? await context.engine.restore({...options, backup: record, onEvent: event => progress.handle(event)})
			: await restoreFromRestic({...options, ref: backup, onEvent: event => progress.handle(event)});
	} finally {
		progress.stop();
	}
	// What stands in the way of starting it, only when something does: the usual answer stays as it was.
	const next = nextStep(summary);
	context.stdout.write(flags.json
		? JSON.stringify({to: summary.to, files: summary.files, bytes: summary.bytes, madeExecutable: summary.madeExecutable, deletedIndex: summary.deletedIndex, ...(summary.datastore ? {datastore: summary.datastore} : {}), ...(next.before ? {start: summary.start, nextStep: next} : {})}, null, 2) + '\n'
		: formatSummary(record?.path ?? backup, summary));
	return 0;
};
