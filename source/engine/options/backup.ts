import {normalizeExcludes} from '../backup/excludes.js';
import {parseMaintenanceWindow} from '../backup/maintenance-window.js';
import {usageError} from '../platform/errors.js';
import {checkDatastore, checkLinkDest, defaultFreezeTimeoutMs, maxDelayMs, maxFreezeTimeoutSeconds, parseAemUrl, parseDelay, parseFreezeTimeout} from '../option-rules.js';
import type {OptionTable} from './option.js';

/** The backup's own options as typed (estimate takes the ones that change what it measures). */
export interface BackupOptionValues {
	delay: string;
	freezeCmd: string;
	freezeTimeout: string;
	thawCmd: string;
	exclude: string[];
	aem: string;
	aemUser: string;
	maintenanceWindow: string;
	datastore: string;
	externalDatastore: boolean;
	filesOnly: boolean;
	linkDest: string;
	incremental: boolean;
}

// In the order the rules run (the CLI refuses the first that throws): delay, freeze timeout, thaw, excludes, AEM, storage.
export const backupOptions = {
	delay: {
		kind: 'string', value: 'MS', commands: ['backup', 'estimate', 'tui'], default: '0',
		help: `throttle, whole ms from 0 to ${maxDelayMs}: adds about repository MiB × MS ÷ 4 s (directory) or ÷ 2 s (zip)`,
		rule: raw => void parseDelay(raw.delay),
		tui: {backup: {label: 'Delay', suffix: 'ms', always: true, help: `throttles stages 1 and 2: whole ms from 0 to ${maxDelayMs}`}},
	},
	freezeCmd: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'],
		help: 'blocks repository writes before stage 4 (run with sh -c)',
		tui: {backup: {label: 'Freeze cmd', group: 'Freeze', help: 'blocks repository writes before stage 4 (run with sh -c)'}},
	},
	freezeTimeout: {
		kind: 'string', value: 'S', commands: ['backup', 'tui'], default: String(defaultFreezeTimeoutMs / 1000),
		help: `stop a freeze command still running after S seconds (at most ${maxFreezeTimeoutSeconds})`,
		rule: raw => void parseFreezeTimeout(raw.freezeTimeout),
		tui: {backup: {label: 'Freeze max', group: 'Freeze', suffix: 's', help: `stop a freeze command still running after this many seconds (empty: ${defaultFreezeTimeoutMs / 1000})`}},
	},
	thawCmd: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'],
		help: 'unblocks them after stage 4; always runs once the freeze ran',
		rule(raw) {
			if (raw.thawCmd && !raw.freezeCmd) throw usageError('--thaw-cmd needs --freeze-cmd: there is nothing to thaw without a freeze.');
		},
		tui: {backup: {label: 'Thaw cmd', group: 'Freeze', help: 'unblocks them after stage 4; always runs once the freeze ran'}},
	},
	exclude: {
		kind: 'list', value: 'P', commands: ['backup', 'estimate', 'tui'],
		help: 'leave out the path P (relative to crx-quickstart, no wildcards; repeatable); repository/index and repository/cache are always left out',
		// Checked again where the engine uses them (normalizeExcludes), after the repository is known.
		rule: raw => void normalizeExcludes(raw.exclude),
		tui: {backup: {label: 'Exclude', group: 'Excludes', help: 'paths inside crx-quickstart to leave out, comma-separated (index and cache always are)'}},
	},
	aem: {
		kind: 'string', value: 'URL', commands: ['backup', 'tui'],
		help: "block writes through AEM's JMX console at URL (blockRepositoryWrites / unblockRepositoryWrites), and refuse to start while AEM runs its own backup or a garbage collection (--force starts anyway); the password comes from CRX_BACKUP_AEM_PASSWORD or ~/.netrc (machine = the URL's host)",
		rule(raw) {
			const aemUrl = parseAemUrl(raw.aem);
			if (aemUrl && (raw.freezeCmd || raw.thawCmd)) throw usageError('--aem blocks writes through AEM itself: leave out --freeze-cmd and --thaw-cmd, or --aem.');
		},
		tui: {backup: {label: 'AEM URL', group: 'AEM', help: "AEM's address: its JMX switches block and unblock writes (password: CRX_BACKUP_AEM_PASSWORD or ~/.netrc)"}},
	},
	aemUser: {
		kind: 'string', value: 'USER', commands: ['backup', 'tui'], default: 'the .netrc login, else admin',
		help: "AEM's user for --aem",
		rule(raw) {
			if (raw.aemUser !== undefined && !parseAemUrl(raw.aem)) throw usageError('--aem-user needs --aem: there is no AEM to log in to.');
		},
		tui: {backup: {label: 'AEM user', group: 'AEM', help: 'the user for --aem (empty: the .netrc login, else admin)'}},
	},
	maintenanceWindow: {
		kind: 'string', value: 'HH:MM-HH:MM', commands: ['backup', 'tui'], default: '02:00-05:00',
		help: "without --aem, warn when a backup starts in it (local time; when AEM's online revision cleanup runs); none: no warning",
		rule: raw => void parseMaintenanceWindow(raw.maintenanceWindow),
		tui: {backup: {label: 'Maint. win', group: 'AEM', help: 'without --aem, warn when starting inside it: HH:MM-HH:MM, or none (empty: 02:00-05:00)'}},
	},
	datastore: {
		kind: 'string', value: 'PATH', commands: ['backup', 'estimate', 'tui'], default: 'as its OSGi configuration says',
		help: "the external FileDataStore's folder",
		rule: raw => void checkDatastore(raw),
		tui: {backup: {label: 'Datastore', group: 'Datastore', help: "the external FileDataStore's folder (empty: as its OSGi configuration says)"}},
	},
	externalDatastore: {
		kind: 'boolean', default: true, commands: ['backup', 'estimate', 'tui'],
		help: 'leave an external datastore out (the backup is then not restorable alone)',
		tui: {backup: {label: 'Skip ext. DS', group: 'Datastore', help: 'leave an external datastore out: the backup is then not restorable on its own'}},
	},
	filesOnly: {
		kind: 'boolean', commands: ['backup', 'estimate', 'tui'],
		help: 'back up the files although nodes or binaries live in MongoDB, S3 or Azure',
		tui: {backup: {label: 'Files only', group: 'Datastore', help: 'back up the files although nodes or binaries live in MongoDB, S3 or Azure'}},
	},
	linkDest: {
		kind: 'string', value: 'PREVIOUS', commands: ['backup', 'tui'],
		help: 'directory backup: hard-link files unchanged since the complete directory backup PREVIOUS instead of copying them (same file system)',
		rule: raw => void checkLinkDest(raw.linkDest, raw.incremental),
		tui: {backup: {label: 'Link dest', group: 'Method', help: 'directory backups: hard-link files unchanged since this complete directory backup'}},
	},
	incremental: {
		kind: 'boolean', commands: ['backup', 'tui'],
		help: 'the same, with PREVIOUS the newest complete directory backup beside the target',
		tui: {backup: {label: 'Incremental', group: 'Method', help: 'the same, with the newest complete directory backup beside the target'}},
	},
} as const satisfies OptionTable<BackupOptionValues>;
