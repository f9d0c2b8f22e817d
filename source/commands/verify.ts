import type {VerifyResult} from '../engine/types.js';
import {ProgressStore} from '../progress/progress-store.js';
import {backupArgument, listOptions} from './catalog-shared.js';
import type {Command} from './context.js';
import {bytes, escapeControls, printableName} from '../words/format.js';
import {ProgressPrinter} from './progress-printer.js';

function formatResult(path: string, result: VerifyResult): string {
	const counts = `${result.files} files, ${bytes(result.bytes)}`;
	const shown = printableName(path);
	if (result.ok) return `✔ ${shown} is intact: ${counts} checked.\n`;
	// Entry names come from the backup: escaped, so one cannot forge a line or move the cursor.
	const lines = result.problems.map(problem => `  ✖ ${printableName(problem.path)}: ${escapeControls(problem.problem)}`);
	return `✖ ${shown} is damaged: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} (${counts} read).\n${lines.join('\n')}\n`;
}

/** crx-backup verify BACKUP [--json]: exit 0 intact, 1 damaged. Progress on stderr, as backup and restore print it. */
export const verifyCommand: Command = async context => {
	const backup = backupArgument(context, 'verify');
	const record = await context.engine.find(backup, await listOptions(context));
	const progress = new ProgressPrinter(new ProgressStore(), context.stderr);
	progress.start();
	let result: VerifyResult;
	try {
		result = await context.engine.verify(record, {signal: context.signal, onEvent: event => progress.handle(event)});
	} finally {
		progress.stop();
	}
	context.stdout.write(context.flags.json
		? JSON.stringify({ok: result.ok, files: result.files, bytes: result.bytes, problems: result.problems}, null, 2) + '\n'
		: formatResult(record.path, result));
	return result.ok ? 0 : 1;
};
