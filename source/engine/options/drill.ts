import {parseDrillPort, parseMaxDrillAge, parseStartTimeout} from '../option-rules.js';
import type {OptionTable} from './option.js';

/** Restore drills: `drill`'s own options, `status --max-drill-age` and `backup --drill`. */
export interface DrillOptionValues {
	port: string;
	keep: boolean;
	startTimeout: string;
	allowNetwork: boolean;
	maxDrillAge: string;
	drill: boolean;
}

export const drillOptions = {
	port: {
		kind: 'string', value: 'N', commands: ['drill'], default: 'a port free now',
		help: "the drill AEM's HTTP port (CQ_PORT); refused when something listens on it or it is the live AEM's",
		rule: raw => void parseDrillPort(raw.port),
	},
	keep: {kind: 'boolean', commands: ['drill'], help: 'leave the scratch folder in place (AEM is stopped all the same)'},
	startTimeout: {
		kind: 'string', value: 'AGE', commands: ['drill', 'backup'], default: '15m',
		help: 'how long the drill AEM may take from bin/start until it answers HTTP 200 with every bundle active',
		helpFor: {backup: 'with --drill: how long the drill AEM may take to come up'},
		rule: raw => void parseStartTimeout(raw.startTimeout),
	},
	allowNetwork: {
		kind: 'boolean', commands: ['drill', 'backup'],
		help: 'run the drill AEM without a network namespace of its own where none can be made (not root, no unshare): it can then reach other systems',
	},
	maxDrillAge: {
		kind: 'string', value: 'AGE', commands: ['status'],
		help: 'exit 1 when the last good restore drill is older than this (8d), or there is none',
		rule: raw => void parseMaxDrillAge(raw.maxDrillAge),
	},
	drill: {
		kind: 'boolean', commands: ['backup'],
		help: "after a good backup (and its prune and push), drill it: restore it beside the backups, start AEM there isolated, time it; a failed drill runs --on-failure with CRX_BACKUP_STATUS=drill-failed",
	},
} as const satisfies OptionTable<DrillOptionValues>;
