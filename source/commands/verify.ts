import type {VerifyResult} from '../engine/types.js';
import {backupArgument, listOptions} from './catalog-shared.js';
import type {Command, CommandContext} from './context.js';
import {bytes} from '../format.js';

/** A live "verifying…" line on a terminal, redrawn at most ten times a second; nothing when stderr is piped. */
function liveLine(context: CommandContext) {
	// Only the numbers are kept per file: formatting them for every one of a million entries cost a quarter of verify's time.
	let latest: {files: number; bytesDone: number; file?: string} | undefined;
	const timer = context.stderr.isTTY
		? setInterval(() => {
			if (!latest) return;
			const text = `verifying: ${latest.files} files, ${bytes(latest.bytesDone)}${latest.file ? `  ${latest.file}` : ''}`;
			context.stderr.write(`\r\u001B[K${text.slice(0, (context.stderr.columns || 80) - 1)}`);
		}, 100)
		: undefined;
	return {
		update(files: number, bytesDone: number, file?: string) {
			latest = {files, bytesDone, file};
		},
		stop() {
			if (!timer) return;
			clearInterval(timer);
			context.stderr.write('\r\u001B[K');
		},
	};
}

function formatResult(path: string, result: VerifyResult): string {
	const counts = `${result.files} files, ${bytes(result.bytes)}`;
	if (result.ok) return `✔ ${path} is intact: ${counts} checked.\n`;
	const lines = result.problems.map(problem => `  ✖ ${problem.path}: ${problem.problem}`);
	return `✖ ${path} is damaged: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} (${counts} read).\n${lines.join('\n')}\n`;
}

/** crx-backup verify BACKUP [--json]: exit 0 intact, 1 damaged. */
export const verifyCommand: Command = async context => {
	const backup = backupArgument(context, 'verify');
	const record = await context.engine.find(backup, await listOptions(context));
	const line = liveLine(context);
	let result: VerifyResult;
	try {
		result = await context.engine.verify(record, {signal: context.signal, onProgress: line.update});
	} finally {
		line.stop();
	}
	context.stdout.write(context.flags.json
		? JSON.stringify({ok: result.ok, files: result.files, bytes: result.bytes, problems: result.problems}, null, 2) + '\n'
		: formatResult(record.path, result));
	return result.ok ? 0 : 1;
};
