import {Box, useApp} from 'ink';
import {useEffect, useRef, useState, type ReactElement} from 'react';
import type {BackupOptions, Engine, Repository, RetentionPolicy} from '../engine/types.js';
import type {BackupRef} from '../engine/types.js';
import {useBackupJob, type BackupJob} from './hooks/use-backup-job.js';
import {useColumns, useRows} from './hooks/use-columns.js';
import {useRestoreJob, type RestoreJob} from './hooks/use-restore-job.js';
import {useSessionSummary} from './hooks/use-session-summary.js';
import {useVerifyJob, type VerifyJob} from './hooks/use-verify-job.js';
import {useDrillJob, type DrillJob} from './hooks/use-drill-job.js';
import {useKeymap} from './hooks/use-keymap.js';
import {KeyDispatcher} from './input/key-dispatcher.js';
import {keymaps} from './keymaps.js';
import type {DemoActions, Route} from './routes.js';
import {Backups} from './screens/backups.js';
import {Drill} from './screens/drill.js';
import {CreateBackup, type SavedCreate} from './screens/create-backup.js';
import {Help} from './screens/help.js';
import {Home} from './screens/home.js';
import {LogView, type LoggedJob} from './screens/log-view.js';
import {Progress} from './screens/progress.js';
import {QuitScreen} from './screens/quit.js';
import {RestoreWizard} from './screens/restore-wizard.js';
import {colourTheme, ThemeContext, type Theme} from './theme.js';
import {prefillFromDefaults, type TuiPrefill} from './options/prefill.js';
import {checkBackupOptions} from '../engine/index.js';

/** A second Ctrl+C this soon after the first forces the quit the first one asked about. */
const forceWindowMs = 2000;

/** Something outside Ink that asks the TUI to stop (SIGINT/SIGTERM from run-tui). */
export type Interrupts = {subscribe: (listener: (signal: NodeJS.Signals) => void) => () => void};

export interface AppProps {
	engine: Engine;
	repository: Repository;
	/** Checked options the Create form starts with (the first shape of `prefill`; `prefill.backup` wins). */
	backupDefaults?: Pick<BackupOptions, 'freezeCmd' | 'thawCmd' | 'freezeTimeoutMs' | 'exclude'>;
	/** The options the TUI was started with (prefillFromFlags): the Create form and the restore wizard start with them. */
	prefill?: TuiPrefill;
	/** Demo only: runs a datastore GC on the demo's live writer (a key on Home), to show that failure mode. */
	demo?: DemoActions;
	/** Called once, with the exit code and the session's one-line summary, right before the app unmounts. */
	onQuit?: (code: number, summary: string) => void;
	interrupts?: Interrupts;
	theme?: Theme;
	initialRoute?: Route;
	/** --keep-* given on the command line: the Backups screen marks what it would prune. */
	policy?: RetentionPolicy;
}

/** What covers the screen, which stays mounted underneath (a half-typed form survives). */
type Overlay = 'help' | 'log' | 'quit' | undefined;

/**
 * The root: routes on a `screen` value, owns the three long jobs (so they outlive
 * the screen that started them), reads the keyboard (KeyDispatcher: one key at a
 * time) and owns the keys that work everywhere: `?` help, `l` log, `q` quit
 * (asks while a job runs) and Ctrl+C, which asks the same question (a second
 * Ctrl+C within two seconds cancels the running job and quits once it has stopped). The frame fills the terminal (the TUI runs full screen).
 */
export function App(props: AppProps) {
	return (
		<ThemeContext.Provider value={props.theme ?? colourTheme}>
			<KeyDispatcher><Root {...props} /></KeyDispatcher>
		</ThemeContext.Provider>
	);
}

function Root({engine, repository, backupDefaults, prefill, demo, onQuit, interrupts, initialRoute = {screen: 'home'}, policy}: AppProps) {
	const {exit} = useApp();
	const columns = useColumns();
	const rows = useRows();
	const [route, setRoute] = useState<Route>(initialRoute);
	const [overlay, setOverlay] = useState<Overlay>();
	const homeCursor = useState(0);
	/** The exit code once a quit was asked for; the app leaves when no job is running. */
	const [quitting, setQuitting] = useState<number>();
	const backupJob = useBackupJob(engine);
	const restoreJob = useRestoreJob(engine);
	const verifyJob = useVerifyJob(engine);
	const drillJob = useDrillJob(engine, repository);
	const running = [backupJob, restoreJob, verifyJob, drillJob].some(job => job.status === 'running');
	const summary = useSessionSummary([
		{kind: 'backup', job: backupJob, subject: options => options.target.path},
		{kind: 'restore', job: restoreJob, subject: options => `${refPath(options.backup)} to ${options.to}`},
		{kind: 'verify', job: verifyJob, subject: options => options.backup},
		{kind: 'drill', job: drillJob, subject: options => options.backup, failed: result => !result?.ok},
	]);
	const lastStarted = useLastStarted(backupJob, restoreJob, verifyJob, drillJob);
	const left = useRef(false);
	/** The Create form as it was left: kept while the TUI runs. */
	const savedCreate = useRef<SavedCreate>(undefined);

	const leave = (code: number) => {
		if (left.current) return;
		left.current = true;
		onQuit?.(code, summary());
		exit();
	};
	const quit = (code: number) => {
		if (!running) return leave(code);
		backupJob.cancel();
		restoreJob.cancel();
		verifyJob.cancel();
		drillJob.cancel();
		setQuitting(code);
	};
	/** `q` and the menu's Quit: at once when idle, else the question first. */
	// The demo's folder goes with the TUI: the question says so before, not after.
	const askQuit = () => (running || demo ? setOverlay('quit') : leave(0));
	// A signal (SIGTERM, SIGHUP: nobody is at the terminal to answer) cancels and quits at once;
	// a second one while a cancelled job winds down (thaw, cleanup) leaves at once.
	const interrupt = () => (quitting !== undefined ? leave(130) : quit(running ? 130 : 0));
	const latestInterrupt = useRef(interrupt);
	latestInterrupt.current = interrupt;
	/** When Ctrl+C last asked: a second one within two seconds does not ask again, it forces. */
	const askedAt = useRef(Number.NEGATIVE_INFINITY);
	// Ctrl+C typed: a stray one never cancels a backup or deletes the demo's folder. It asks what `q` asks;
	// a second within two seconds (both may arrive in one read, before the question is drawn) forces it.
	const ctrlC = () => {
		const now = Date.now();
		if (quitting !== undefined || now - askedAt.current < forceWindowMs) return interrupt();
		if (!running && !demo) return leave(0);
		askedAt.current = now;
		setOverlay('quit');
	};

	useEffect(() => {
		if (quitting !== undefined && !running) leave(quitting);
	}, [quitting, running]); // eslint-disable-line react-hooks/exhaustive-deps
	const latestCtrlC = useRef(ctrlC);
	latestCtrlC.current = ctrlC;
	// SIGINT is Ctrl+C before raw mode is on (the first frame's instant) or `kill -INT`: it asks, as the key does.
	useEffect(() => interrupts?.subscribe(signal => (signal === 'SIGINT' ? latestCtrlC.current() : latestInterrupt.current())), [interrupts]);

	// The root's keys reach it only when the screen (or overlay) did not take the key: a text field keeps its `q`.
	useKeymap(keymaps.everywhere, {
		interrupt: ctrlC,
		...(overlay === undefined ? {help: () => setOverlay('help'), log: () => setOverlay('log')} : {}),
		...(overlay !== 'quit' && quitting === undefined ? {quit: askQuit} : {}),
	}, {isActive: true, root: true});

	const close = () => setOverlay(undefined);
	const screenProps = {engine, repository, isActive: overlay === undefined && quitting === undefined, go: setRoute};
	const screens: Record<Route['screen'], () => ReactElement> = {
		home: () => <Home {...screenProps} backupJob={backupJob} quit={askQuit} demo={demo} aem={aemOf(prefill?.backup)} cursor={homeCursor} />,
		create: () => <CreateBackup {...screenProps} backupJob={backupJob} prefill={{...prefillFromDefaults(backupDefaults), ...prefill?.backup}} saved={savedCreate.current} save={saved => (savedCreate.current = saved)} />,
		progress: () => <Progress {...screenProps} backupJob={backupJob} />,
		backups: () => <Backups {...screenProps} verifyJob={verifyJob} backupJob={backupJob} drillJob={drillJob} policy={policy} />,
		drill: () => <Drill {...screenProps} drillJob={drillJob} />,
		restore: () => <RestoreWizard {...screenProps} restoreJob={restoreJob} backup={route.screen === 'restore' ? route.backup : undefined} prefill={prefill?.restore} />,
	};
	const covered = overlay !== undefined || quitting !== undefined;
	return (
		<Box flexDirection="column" width={columns} height={rows} overflow="hidden">
			<Box display={covered ? 'none' : 'flex'} flexDirection="column" flexGrow={1}>{screens[route.screen]()}</Box>
			{overlay === 'help' ? <Help screen={route.screen} close={close} /> : null}
			{overlay === 'log' ? <LogView logged={lastStarted} close={close} /> : null}
			{overlay === 'quit' || quitting !== undefined ? (
				<QuitScreen cancelling={quitting !== undefined} running={running} demoFolder={demo?.folder} yes={() => (setOverlay(undefined), quit(0))} no={() => ((askedAt.current = Number.NEGATIVE_INFINITY), close())} />
			) : null}
		</Box>
	);
}

/** The job started last, for the log view. */
function useLastStarted(backupJob: BackupJob, restoreJob: RestoreJob, verifyJob: VerifyJob, drillJob: DrillJob): LoggedJob | undefined {
	const order = useRef<Array<LoggedJob['kind']>>([]);
	const runs = useRef({backup: 0, restore: 0, verify: 0, drill: 0});
	for (const [kind, job] of [['backup', backupJob], ['restore', restoreJob], ['verify', verifyJob], ['drill', drillJob]] as const) {
		if (job.run !== runs.current[kind]) {
			runs.current[kind] = job.run;
			order.current = [...order.current.filter(k => k !== kind), kind];
		}
	}
	const last = order.current.at(-1);
	if (last === 'backup') return {kind: 'backup', job: backupJob};
	if (last === 'restore') return {kind: 'restore', job: restoreJob, subject: restoreJob.options ? `${refPath(restoreJob.options.backup)} → ${restoreJob.options.to}` : ''};
	if (last === 'verify') return {kind: 'verify', job: verifyJob, subject: verifyJob.options?.backup ?? ''};
	if (last === 'drill') return {kind: 'drill', job: drillJob, subject: drillJob.options?.backup ?? ''};
	return undefined;
}

const refPath = (ref: BackupRef) => (typeof ref === 'string' ? ref : ref.path);

/** The AEM Home asks about: --aem as given to the TUI (or the demo's emulation), when it passes its rule. */
function aemOf(backup: TuiPrefill['backup'] | undefined): {url: string; user?: string} | undefined {
	if (typeof backup?.aem !== 'string') return undefined;
	try {
		return checkBackupOptions({aem: backup.aem, aemUser: typeof backup.aemUser === 'string' ? backup.aemUser : undefined}).aem;
	} catch {
		return undefined;
	}
}
