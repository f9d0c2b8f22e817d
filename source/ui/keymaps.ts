import type {KeyName} from './keys.js';

/**
 * One line of a keymap: the meanings it binds (keys.ts says which keys those
 * are), what the key bar calls it and what the help says it does. The screen
 * binds a handler to each meaning (useKeymap); the key bar and the help are
 * drawn from these entries, so a key is described in exactly one place.
 */
export interface KeyEntry {
	keys: readonly KeyName[];
	/** Key bar text: what the key does here, in a word or two. */
	label: string;
	/** The help's words for it; empty: the help leaves it out (it repeats another entry). */
	description: string;
	/** Bound and in the help, but left off the one-line key bar (arrows in a form). */
	hidden?: boolean;
	/** Handled by the root (help, Ctrl+C), not by the screen: shown without a screen handler. */
	global?: boolean;
}

/** The keys of one screen state. */
export type Keymap = readonly KeyEntry[];

const help: KeyEntry = {keys: ['help'], label: 'help', description: 'this help', global: true};
const move: KeyEntry = {keys: ['up', 'down'], label: 'move', description: 'move'};
const back: KeyEntry = {keys: ['back'], label: 'back', description: 'back'};
const stepBack: KeyEntry = {keys: ['back'], label: 'back', description: 'one step back until it starts'};
const cancelJob: KeyEntry = {keys: ['cancelJob'], label: 'cancel', description: 'cancel (asks first)'};
/** A focused text field's editing keys (state/text-keys.ts); a prefilled default is selected, so typing replaces it. */
const textEditing: KeyEntry = {
	keys: ['left', 'right', 'erase', 'lineStart', 'lineEnd', 'eraseLine', 'eraseWord'],
	label: 'edit',
	description: '',
	hidden: true,
};
/** Handled by the root on every screen that is not editing text; listed in the bars where it works. */
const quit: KeyEntry = {keys: ['quit'], label: 'quit', description: 'quit (asks while a job runs); in a text field it is text', global: true};
const log: KeyEntry = {keys: ['log'], label: 'log', description: "the current or last job's stages and warnings; in a text field it is text", global: true};
const scroll: KeyEntry = {keys: ['pageUp', 'pageDown', 'first', 'last'], label: 'scroll', description: 'page up/down, top, bottom', hidden: true};

/**
 * First on the bar while a text field has focus: every printable key is text there, `q` and `l`
 * too (`?` never is), and how to get out to where they work again.
 */
const typing = (leave: string): KeyEntry => ({keys: ['text'], label: 'text, q l too', description: `in a text field letters are text, q and l too; ${leave} leaves it`, global: true});

function createKeys(start: string, text = false): Keymap {
	return [
		...(text ? [typing('Esc')] : []),
		{keys: ['confirm'], label: start, description: 'starts when the checks pass'},
		{keys: ['nextField'], label: 'next field', description: 'switch fields'},
		{keys: ['cycleMethod'], label: 'method', description: 'the backup method: online → snapshot → offline'},
		{keys: ['back'], label: text ? 'leave' : 'back', description: 'closes Options when open, else Home; the form keeps what was typed'},
		help,
		// Off a text field q quits, as everywhere: the bar says so (in a field it is text, and the bar says that).
		...(text ? [] : [quit]),
		// Hidden: bound only on the Options header and on Force, which say so themselves.
		{keys: ['toggle'], label: 'toggle', description: 'opens Options, ticks Force', hidden: true},
		{keys: ['prevField', 'up', 'down'], label: 'switch field', description: '', hidden: true},
		{keys: ['pageUp', 'pageDown'], label: 'group', description: 'Options: the previous or next group (Freeze, AEM, Method, Nightly, Datastore, Excludes)', hidden: true},
		{keys: ['first', 'last'], label: 'first/last', description: 'Options: the first or last option (off a text field)', hidden: true},
		...(text ? [] : [{keys: ['text'], label: 'jump', description: 'off a text field: a letter jumps to the next option it starts (q, l keep their meaning)', hidden: true, global: true} satisfies KeyEntry]),
		textEditing,
	];
}

/** Every screen state's keymap. The order is the key bar's. */
export const keymaps = {
	/** The root's keys, live on every screen. */
	everywhere: [
		help,
		quit,
		log,
		{keys: ['interrupt'], label: 'quit', description: 'quit: asks as q does while a job runs (and in the demo); a second Ctrl+C within 2 s cancels and quits without asking', hidden: true, global: true},
	],
	/** A y/N question: only y says yes (Enter takes the capital N). */
	confirm: [
		{keys: ['yes'], label: 'yes', description: 'yes'},
		{keys: ['no'], label: 'no', description: 'no (so do Esc and Enter)'},
		{keys: ['back', 'confirm'], label: 'no', description: '', hidden: true},
	],
	home: [
		{keys: ['create'], label: 'create', description: 'create backup'},
		{keys: ['backups'], label: 'backups', description: 'backups'},
		{keys: ['restore'], label: 'restore', description: 'restore'},
		{keys: ['progress'], label: 'progress', description: 'progress'},
		log,
		help,
		quit,
		{...move, hidden: true},
		{keys: ['confirm'], label: 'choose', description: 'choose', hidden: true},
	],
	/** Home in the demo: also runs a datastore GC on its live writer, to show what that does to a backup. */
	get homeDemo(): Keymap {
		return [...keymaps.home, {keys: ['datastoreGc'], label: 'datastore GC', description: 'demo: datastore GC'}];
	},
	create: createKeys('start'),
	/** The same form while a field or a check fails: Enter does nothing yet. */
	createWaiting: createKeys('start (when valid)'),
	/** The same two while a text field has focus. */
	createTyping: createKeys('start', true),
	createTypingWaiting: createKeys('start (when valid)', true),
	progressRunning: [
		cancelJob,
		{keys: ['back'], label: 'home (keeps running)', description: 'home, the backup keeps running'},
		log,
		help,
		quit,
	],
	progressFinished: [
		{keys: ['confirm'], label: 'backups', description: 'backups (when done)'},
		{keys: ['back'], label: 'home', description: ''},
		log,
		help,
		quit,
	],
	backups: [
		move,
		{keys: ['delete'], label: 'delete', description: 'delete (asks first)'},
		{keys: ['verify'], label: 'verify', description: 'verify'},
		{keys: ['restore'], label: 'restore', description: 'restore the selected one'},
		// Off the bar (it would push filter and back off at 80 columns): the help lists it and Home's Last drill line names it.
		{keys: ['drill'], label: 'drill', description: 'restore drill (asks first): restore the selected one beside the backups, start AEM there cut off from the network, time it, stop it and delete the copy', hidden: true},
		{keys: ['filter'], label: 'filter', description: 'filter by name (Enter keeps it, Esc clears it)'},
		back,
		help,
		quit,
		{...scroll, description: 'page up/down, first, last'},
	],
	/** Typing a filter into the Backups list. */
	backupsFilter: [
		typing('Enter or Esc'),
		{keys: ['confirm'], label: 'keep filter', description: 'keep the filter'},
		{keys: ['back'], label: 'clear', description: 'clear the filter'},
		{keys: ['erase'], label: 'edit', description: '', hidden: true},
		// ? opens the help here too (a filter never holds one): the bar says so, as everywhere.
		help,
	],
	// The pointer still moves while a verify runs (its result shows under its own row): j typed right after v is not lost.
	verifying: [{...cancelJob, description: 'cancels a verify (asks first)'}, move, help, quit],
	drillRunning: [{...cancelJob, description: "cancels a drill (asks first): its AEM is stopped and its copy deleted"}, help, quit],
	drillDone: [{keys: ['confirm', 'back'], label: 'backups', description: 'when done: back to Backups'}, log, help, quit],
	restoreChoose: [move, {keys: ['confirm'], label: 'choose', description: 'step 1: choose the backup'}, back, help, quit],
	restoreDestination: [
		typing('Esc'),
		{keys: ['confirm'], label: 'next', description: 'step 2: next, once the folder is checked'},
		stepBack,
		help,
		textEditing,
	],
	restoreOptions: [
		{keys: ['toggle'], label: 'toggle', description: 'step 3: ticks the focused option'},
		{keys: ['confirm'], label: 'next', description: 'step 3: next'},
		{...move, hidden: true},
		{keys: ['nextField', 'prevField'], label: 'next field', description: '', hidden: true},
		stepBack,
		help,
		textEditing,
	],
	restoreConfirm: [{keys: ['confirm'], label: 'restore', description: 'step 4: restore'}, stepBack, help, quit],
	restoreProgress: [{...cancelJob, description: 'cancels it while it runs (asks first)'}, help, quit],
	restoreDone: [{keys: ['confirm'], label: 'done', description: 'when done: back where the wizard started'}, back, help, quit],
	// q quits from Help and the log too (asking while a job runs): their bars say so, as every other screen's.
	help: [{keys: ['back', 'help'], label: 'close', description: 'close'}, {...move, label: 'scroll', description: 'scroll'}, {...scroll, hidden: false, label: 'page'}, quit],
	log: [{keys: ['back', 'log'], label: 'close', description: 'close'}, {...move, label: 'scroll', description: 'scroll'}, {...scroll, hidden: false, label: 'page'}, quit],
	/** The quit question while a job runs: its own bar, not the screen's. */
	quitAsk: [
		{keys: ['yes'], label: 'yes, cancel and quit', description: 'asked to quit: cancel the job and quit'},
		{keys: ['no', 'back', 'confirm'], label: 'no, stay', description: 'asked to quit: stay'},
	],
} satisfies Record<string, Keymap>;

export type KeymapName = keyof typeof keymaps;

/** The help's sections: a title and the keymaps drawn under it. */
export const helpSections: ReadonlyArray<{title: string; maps: readonly KeymapName[]}> = [
	{title: 'Everywhere', maps: ['everywhere', 'confirm', 'quitAsk']},
	{title: 'Help and log', maps: ['log']},
	{title: 'Home', maps: ['home', 'homeDemo']},
	{title: 'Create Backup', maps: ['createTyping', 'create', 'createWaiting', 'createTypingWaiting']},
	{title: 'Progress', maps: ['progressRunning', 'progressFinished']},
	{title: 'Backups', maps: ['backups', 'backupsFilter', 'verifying']},
	{title: 'Restore drill', maps: ['drillRunning', 'drillDone']},
	{title: 'Restore', maps: ['restoreChoose', 'restoreDestination', 'restoreOptions', 'restoreConfirm', 'restoreProgress', 'restoreDone']},
];

/** The key bar's entries: not hidden, and bound here (by the screen, or by the root for global keys). */
export function barEntries(keymap: Keymap, bound: (name: KeyName) => boolean): KeyEntry[] {
	return keymap.filter(entry => !entry.hidden && (entry.global || entry.keys.some(bound)));
}
