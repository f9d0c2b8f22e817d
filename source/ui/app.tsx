import {Box, Text, useApp} from 'ink';
import {useEffect, useRef, useState, type ReactElement} from 'react';
import type {BackupOptions, Engine, Repository, RetentionPolicy} from '../engine/types.js';
import {useBackupJob} from './hooks/use-backup-job.js';
import {useRestoreJob} from './hooks/use-restore-job.js';
import {useVerifyJob} from './hooks/use-verify-job.js';
import {useKeymap} from './hooks/use-keymap.js';
import {keymaps} from './keymaps.js';
import {StaticLogProvider} from './components/static-log.js';
import type {DemoActions, Route} from './routes.js';
import {Backups} from './screens/backups.js';
import {CreateBackup} from './screens/create-backup.js';
import {Help} from './screens/help.js';
import {Home} from './screens/home.js';
import {Progress} from './screens/progress.js';
import {RestoreWizard} from './screens/restore-wizard.js';
import {colourTheme, symbols, ThemeContext, type Theme} from './theme.js';
import {prefillFromDefaults, type TuiPrefill} from './options/prefill.js';
import {checkBackupOptions} from '../engine/index.js';

/** Something outside Ink that asks the TUI to stop (SIGINT/SIGTERM from run-tui). */
export type Interrupts = {subscribe: (listener: () => void) => () => void};

export interface AppProps {
	engine: Engine;
	repository: Repository;
	/** Checked options the Create form starts with (the first shape of `prefill`; `prefill.backup` wins). */
	backupDefaults?: Pick<BackupOptions, 'freezeCmd' | 'thawCmd' | 'freezeTimeoutMs' | 'exclude'>;
	/** The options the TUI was started with (prefillFromFlags): the Create form and the restore wizard start with them. */
	prefill?: TuiPrefill;
	/** Demo only: runs a datastore GC on the demo's live writer (a key on Home), to show that failure mode. */
	demo?: DemoActions;
	/** Called once, with the exit code, right before the app unmounts. */
	onQuit?: (code: number) => void;
	interrupts?: Interrupts;
	theme?: Theme;
	initialRoute?: Route;
	/** --keep-* given on the command line: the Backups screen marks what it would prune. */
	policy?: RetentionPolicy;
}

/**
 * The root: routes on a `screen` value, owns the two long jobs (so they outlive
 * the screen that started them) and the keys that work everywhere: `?` for help
 * and Ctrl+C, which cancels a running job first and quits once it has stopped.
 */
export function App({engine, repository, backupDefaults, prefill, demo, onQuit, interrupts, theme = colourTheme, initialRoute = {screen: 'home'}, policy}: AppProps) {
	const {exit} = useApp();
	const [route, setRoute] = useState<Route>(initialRoute);
	const [helpOpen, setHelpOpen] = useState(false);
	/** The exit code once a quit was asked for; the app leaves when no job is running. */
	const [quitting, setQuitting] = useState<number>();
	const backupJob = useBackupJob(engine);
	const restoreJob = useRestoreJob(engine);
	const verifyJob = useVerifyJob(engine);
	const running = [backupJob, restoreJob, verifyJob].some(job => job.status === 'running');
	const left = useRef(false);

	const leave = (code: number) => {
		if (left.current) return;
		left.current = true;
		onQuit?.(code);
		exit();
	};
	const quit = (code: number) => {
		if (!running) return leave(code);
		backupJob.cancel();
		restoreJob.cancel();
		verifyJob.cancel();
		setQuitting(code);
	};
	// A second interrupt while a cancelled job winds down (thaw, cleanup) leaves at once.
	const interrupt = () => (quitting !== undefined ? leave(130) : quit(running ? 130 : 0));
	const latestInterrupt = useRef(interrupt);
	latestInterrupt.current = interrupt;

	useEffect(() => {
		if (quitting !== undefined && !running) leave(quitting);
	}, [quitting, running]); // eslint-disable-line react-hooks/exhaustive-deps
	useEffect(() => interrupts?.subscribe(() => latestInterrupt.current()), [interrupts]);

	// The root always listens (help and Ctrl+C work on every screen); Esc is its key only while help is open.
	useKeymap(helpOpen ? [...keymaps.everywhere, ...keymaps.help] : keymaps.everywhere, {
		interrupt,
		help: () => setHelpOpen(open => !open),
		...(helpOpen ? {back: () => setHelpOpen(false)} : {}),
	}, {isActive: true});

	const props = {engine, repository, isActive: !helpOpen && quitting === undefined, go: setRoute};
	const screens: Record<Route['screen'], () => ReactElement> = {
		home: () => <Home {...props} backupJob={backupJob} quit={() => quit(0)} demo={demo} aem={aemOf(prefill?.backup)} />,
		create: () => <CreateBackup {...props} backupJob={backupJob} prefill={{...prefillFromDefaults(backupDefaults), ...prefill?.backup}} />,
		progress: () => <Progress {...props} backupJob={backupJob} />,
		backups: () => <Backups {...props} verifyJob={verifyJob} policy={policy} />,
		restore: () => <RestoreWizard {...props} restoreJob={restoreJob} backup={route.screen === 'restore' ? route.backup : undefined} prefill={prefill?.restore} />,
	};
	return (
		<ThemeContext.Provider value={theme}>
			<StaticLogProvider>
				{/* Help covers the screen without unmounting it, so a half-typed form survives. */}
				<Box display={helpOpen ? 'none' : 'flex'} flexDirection="column">{screens[route.screen]()}</Box>
				{helpOpen ? <Help /> : null}
				{quitting !== undefined && running ? (
					<Text color={theme.warning}>{symbols.warning} Cancelling: crx-backup quits once the job has stopped (Ctrl+C again quits now).</Text>
				) : null}
			</StaticLogProvider>
		</ThemeContext.Provider>
	);
}

/** The AEM Home asks about: --aem as given to the TUI (or the demo's emulation), when it passes its rule. */
function aemOf(backup: TuiPrefill['backup'] | undefined): {url: string; user?: string} | undefined {
	if (typeof backup?.aem !== 'string') return undefined;
	try {
		return checkBackupOptions({aem: backup.aem, aemUser: typeof backup.aemUser === 'string' ? backup.aemUser : undefined}).aem;
	} catch {
		return undefined;
	}
}
