import {Box, Text} from 'ink';
import {Screen} from '../components/screen.js';
import {keysText} from '../components/key-bar.js';
import {ScrollView, useScroll} from '../components/scroll-view.js';
import {useColumns, useRows} from '../hooks/use-columns.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {helpSections, keymaps, type Keymap} from '../keymaps.js';
import type {Route} from '../routes.js';
import {useTheme} from '../theme.js';
import {wrapLines} from '../wrap.js';

/** How a backup runs, after the seed: the operator should know why there are four stages. */
const about = 'A hot backup copies in four stages while AEM runs: stage 1 copies everything (phase A all but the datastore, phase B the datastore), stages 2 and 3 copy what changed since, stage 4 copies the last changes with writes blocked. A zip target is staged in a folder first, then compressed.';

/** Which help section belongs to which screen: that one comes first. */
const sectionOf: Record<Route['screen'], string> = {home: 'Home', create: 'Create Backup', progress: 'Progress', backups: 'Backups', restore: 'Restore', drill: 'Restore drill'};

const rootKeys = new Set(keymaps.everywhere.flatMap(entry => entry.keys));

/** One row of a section's table: the keys as the key bar spells them, and what they do. */
export interface HelpRow {
	keys: string;
	action: string;
}

/**
 * One section's table, drawn from its keymaps: each key once, in keymap order.
 * `?` is said once, under Everywhere; entries with no words repeat another.
 */
export function helpRows(maps: readonly Keymap[], everywhere: boolean): HelpRow[] {
	const seen = new Set<string>();
	const rows: HelpRow[] = [];
	for (const entry of maps.flat()) {
		// The root's own keys are said once, under Everywhere; a screen's described-only entry (`a-z`) stays with it.
		if (!entry.description || (entry.global && !everywhere && rootKeys.has(entry.keys[0]!))) continue;
		const row = {keys: keysText(entry.keys), action: entry.description};
		if (seen.has(`${row.keys} ${row.action}`)) continue;
		seen.add(`${row.keys} ${row.action}`);
		rows.push(row);
	}
	return rows;
}

/** A table as lines of `width`: the key column as wide as its widest key (a third of the width at most), the action wrapped beside it. */
function tableLines(rows: readonly HelpRow[], width: number): string[] {
	const cap = Math.floor(width / 3);
	const column = Math.max(3, ...rows.map(row => row.keys.length).filter(length => length <= cap));
	const lines: string[] = [];
	for (const row of rows) {
		// A key wider than its column gets a line of its own; the action starts under the column.
		const keyLines = row.keys.length > column ? [row.keys] : [];
		const actions = wrapLines(row.action, Math.max(10, width - 2 - column - 2));
		if (keyLines.length > 0) lines.push(`  ${row.keys}`);
		actions.forEach((action, index) => lines.push(`  ${(index === 0 && keyLines.length === 0 ? row.keys : '').padEnd(column)}  ${action}`));
	}
	return lines;
}

/** The help as lines of `width`: the current screen's section first, then Everywhere, then the rest; each a key | action table. */
export function helpLines(screen: Route['screen'], width: number): Array<{text: string; title?: boolean}> {
	const current = sectionOf[screen];
	const ordered = [...helpSections].sort((a, b) => rank(a.title) - rank(b.title));
	function rank(title: string) {
		return title === current ? 0 : title === 'Everywhere' ? 1 : 2;
	}
	const lines: Array<{text: string; title?: boolean}> = [];
	for (const {title, maps} of ordered) {
		lines.push({text: title === current ? `${title} (this screen)` : title, title: true});
		for (const line of tableLines(helpRows(maps.map(name => keymaps[name]), maps.includes('everywhere')), width)) lines.push({text: line});
	}
	lines.push({text: ''});
	for (const line of wrapLines(about, width)) lines.push({text: line});
	return lines;
}

/** Help for the screen underneath, scrollable; the root binds Esc/? to close it. */
export function Help({screen, close}: {screen: Route['screen']; close: () => void}) {
	const theme = useTheme();
	const columns = useColumns();
	const rows = useRows();
	const lines = helpLines(screen, columns);
	// Title, margin, key bar with its margin: what the frame takes from the terminal.
	const window = Math.max(3, rows - 4);
	const scroll = useScroll(lines.length, window);
	const bar = useKeymap(keymaps.help, {back: close, help: close, ...scroll.handlers}, {isActive: true});
	const drawn = lines.map(line => (line.title ? <Text bold={theme.bold}>{line.text}</Text> : line.text));
	return (
		<Screen title="Help" keys={bar}>
			<Box flexDirection="column"><ScrollView lines={drawn} offset={scroll.offset} height={window} /></Box>
		</Screen>
	);
}
