import {runModeMatch, type ConfigFile, type Values} from './config-files.js';
import type {Framework} from './framework.js';

export interface Chosen {
	file: ConfigFile;
	values: Values;
}

/** Sling installer's InstallableResource.DEFAULT_PRIORITY; a run mode folder adds the count of modes it matched. */
const DEFAULT_PRIORITY = 100;

/**
 * The configuration of one service AEM applies, among its files (config-files.ts):
 * the installer's file of the highest priority (install/ is 100, an
 * `install.<spec>/` file 100 plus the run modes it matches, none when it matches
 * none), else Felix's persisted copy. `key` gives what decides the layout; files
 * that would decide it differently leave it `unknown` (one sentence): two of the
 * same priority, or the installer's and Felix's copy (which is in force depends on
 * the installer's own state, which is not readable), or a file crx-backup cannot
 * read that AEM may. A file AEM cannot read either is ignored, as AEM ignores it, and said.
 */
export function chooseConfig(files: ConfigFile[], framework: Framework, key: (values: Values) => string, warnings: string[]): {chosen?: Chosen; unknown?: string} {
	const readable: Chosen[] = [];
	for (const file of files) {
		if (file.values) readable.push({file, values: file.values});
		else if (file.ignoredByAem) warnings.push(`crx-quickstart/${file.rel} cannot be read the way AEM reads it (${file.unreadable}): AEM applies none of it, so neither does the storage layout.`);
		else return {unknown: `crx-quickstart/${file.rel} configures ${file.pid}, and ${file.unreadable ?? 'it could not be read'}, so what AEM makes of it is not known.`};
	}
	const installed: Array<Chosen & {priority: number}> = [];
	for (const entry of readable.filter(item => item.file.where === 'install')) {
		const spec = entry.file.runModes;
		if (spec === undefined) {
			installed.push({...entry, priority: DEFAULT_PRIORITY});
			continue;
		}
		if (!framework.runModes) {
			return {unknown: `crx-quickstart/${entry.file.rel} applies only under run modes "${spec}", and no file names this AEM's run modes (sling.run.modes in conf/sling.properties, CQ_RUNMODE in bin/start), so whether AEM applies it is not known.`};
		}
		const matched = runModeMatch(spec, framework.runModes);
		if (matched > 0) installed.push({...entry, priority: DEFAULT_PRIORITY + matched});
	}
	const top = Math.max(...installed.map(entry => entry.priority));
	const winners = installed.filter(entry => entry.priority === top);
	const differing = winners.find(entry => key(entry.values) !== key(winners[0]!.values));
	if (differing) {
		return {unknown: `crx-quickstart/${winners[0]!.file.rel} and crx-quickstart/${differing.file.rel} both configure ${winners[0]!.file.pid} for this AEM and disagree, so which one AEM applies is not known.`};
	}
	const persisted = readable.find(entry => entry.file.where === 'launchpad');
	const winner = winners[0];
	if (winner && persisted && key(winner.values) !== key(persisted.values)) {
		return {unknown: `crx-quickstart/${winner.file.rel} and Felix's copy crx-quickstart/${persisted.file.rel} disagree about ${winner.file.pid}, and which one is in force depends on the installer's own state, so it is not known; make them agree (Adobe's migration guide edits both).`};
	}
	const chosen = winner ?? persisted;
	return chosen ? {chosen: {file: chosen.file, values: chosen.values}} : {};
}
