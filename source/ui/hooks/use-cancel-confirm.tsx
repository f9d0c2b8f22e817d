import {Box} from 'ink';
import type {ReactNode} from 'react';
import {Confirm} from '../components/confirm.js';
import {keymaps, type Keymap} from '../keymaps.js';
import {useConfirm} from './use-confirm.js';
import type {KeyHandlers} from './use-keymap.js';

export interface CancelConfirm {
	/** The screen's keymap and handlers, with `x` bound while the job runs; the y/N keymap instead while the question is open. */
	bind: (keymap: Keymap, handlers: KeyHandlers) => {keymap: Keymap; handlers: KeyHandlers};
	/** The question line while it is open, else null. */
	prompt: ReactNode;
}

/**
 * The cancel flow every running job shares (backup, restore, verify): `x` asks
 * `question`, `y` cancels, `n`/Esc/Enter go on.
 */
export function useCancelConfirm(running: boolean, cancel: () => void, question: string): CancelConfirm {
	const confirm = useConfirm<'cancel'>();
	return {
		bind: (keymap, handlers) => confirm.pending
			? {keymap: keymaps.confirm, handlers: confirm.handlers(cancel)}
			: {keymap, handlers: running ? {...handlers, cancelJob: () => confirm.ask('cancel', question)} : handlers},
		prompt: confirm.pending ? <Box marginTop={1}><Confirm question={confirm.pending.question} /></Box> : null,
	};
}
