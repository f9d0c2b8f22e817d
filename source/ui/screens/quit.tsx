import {Box} from 'ink';
import {Confirm} from '../components/confirm.js';
import {Paragraph} from '../components/paragraph.js';
import {Screen} from '../components/screen.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {keymaps} from '../keymaps.js';
import {symbols, useTheme} from '../theme.js';

/**
 * `q` while a job runs: the question, with its own key bar (y/n), over the
 * screen; then, once the answer was yes, what is left to wait for.
 */
export function QuitScreen({cancelling, running = true, demoFolder, yes, no}: {cancelling: boolean; running?: boolean; demoFolder?: string; yes: () => void; no: () => void}) {
	// The demo's folder goes with the TUI: said in the question, before, not after.
	const demoNote = demoFolder ? ` The demo folder ${demoFolder} and its backups are deleted.` : '';
	// Not running: the demo asks before deleting its folder, or the job ended while the question was open.
	const question = running ? `A job is running. Cancel it and quit?${demoNote}` : demoFolder ? `Quit the demo?${demoNote}` : 'The job has finished. Quit?';
	const theme = useTheme();
	const asked = useKeymap(keymaps.quitAsk, cancelling ? {} : {yes, no, back: no, confirm: no}, {isActive: !cancelling});
	// With no job running there is nothing to cancel: `y` only quits.
	const bar = running ? asked : asked.map(entry => (entry.keys.includes('yes') ? {...entry, label: 'yes, quit'} : entry));
	return (
		<Screen title="Quit" keys={cancelling ? keymaps.everywhere.filter(entry => entry.keys.includes('interrupt')).map(entry => ({...entry, hidden: false, label: 'quit now'})) : bar}>
			{cancelling
				? <Paragraph color={theme.warning} text={`${symbols.warning} Cancelling: crx-backup quits once the job has stopped (Ctrl+C again quits now).`} />
				: (
					<Box flexDirection="column">
						<Confirm question={question} />
						{/* The key bar may be cut at 60 columns: the way to force it is said under the question. */}
						<Paragraph dim={theme.muted} text="Ctrl+C again: yes, at once." />
					</Box>
				)}
		</Screen>
	);
}
