import {parseDrillPort, parseStartTimeout, usageError} from '../engine/index.js';
import {drillEventLine, drillReport} from '../words/drill.js';
import type {Command} from './context.js';

/**
 * crx-backup drill [BACKUP] [--repo DIR] [--port N] [--keep] [--start-timeout 15m] [--allow-network] [--json]:
 * exit 0 when the restored AEM came up, 1 when it did not (or the backup failed verification), 2 refused,
 * 130 cancelled (its AEM stopped and its folder removed first). Steps on stderr, the result on stdout.
 */
export const drillCommand: Command = async ({input, flags, engine, stdout, stderr, signal}) => {
	if (input.length > 1) throw usageError(`drill takes at most one BACKUP (got ${input.length}); see crx-backup drill --help.`);
	const port = parseDrillPort(flags.port);
	const startTimeoutMs = parseStartTimeout(flags.startTimeout);
	const repository = await engine.resolveRepository(flags.repo);
	const summary = await engine.drill({
		repository, backup: input[0], dirs: flags.dir, port, keep: flags.keep, startTimeoutMs, allowNetwork: flags.allowNetwork, signal,
		onEvent: event => {
			const line = drillEventLine(event);
			if (line) stderr.write(`${line}\n`);
		},
	});
	stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : drillReport(summary));
	return summary.ok ? 0 : 1;
};
