import {checkBackupOptions, usageError} from '../engine/index.js';
import type {Command} from './context.js';
import {bytes, duration} from '../words/format.js';
import {storageLines} from './storage-lines.js';

export const estimateCommand: Command = async ({input, flags, engine, stdout}) => {
	if (input.length > 0) throw usageError(`estimate takes no arguments (got "${input[0]}").`);
	// Only what an estimate uses: its flags are backup's, but it never freezes.
	const {delayMs, exclude, datastore, externalDatastore, filesOnly} = checkBackupOptions({
		delay: flags.delay, exclude: flags.exclude, datastore: flags.datastore, externalDatastore: flags.externalDatastore, filesOnly: flags.filesOnly,
	});
	const repository = await engine.resolveRepository(flags.repo);
	const target = engine.resolveTarget(repository, flags.target);
	const check = await engine.preflight(repository, target, delayMs, exclude, {forceHint: true, trees: {datastore, externalDatastore, filesOnly}});
	const {estimate} = check;
	// What `backup` would refuse (short space, without --force) is exit 2 here too, after the report.
	const refusal = flags.force ? undefined : check.errors[0];
	if (flags.json) {
		stdout.write(`${JSON.stringify({...estimate, bytesNeeded: check.bytesNeeded, bytesFree: check.bytesFree, warnings: check.warnings, errors: check.errors})}\n`);
		if (refusal) throw usageError(refusal);
		return 0;
	}
	const mib = estimate.repositoryBytes / 1024 / 1024;
	stdout.write([
		`Repository  ${estimate.repository}: ${bytes(estimate.repositoryBytes)} in ${estimate.repositoryFiles} files (index and cache left out)`,
		`Target      ${estimate.target} (${estimate.kind})`,
		`Delay       ≈ ${duration(estimate.delaySeconds * 1000)} added: ${mib.toFixed(1)} MiB × ${estimate.delayMs} ms ÷ ${estimate.divisor}`,
		`Space       ${bytes(check.bytesNeeded)} needed, ${bytes(check.bytesFree)} free`,
		...storageLines(estimate),
		...check.warnings.map(w => `⚠ ${w}`),
		...check.errors.map(e => `✖ ${e}`),
	].join('\n') + '\n');
	if (refusal) throw usageError(refusal);
	return 0;
};
