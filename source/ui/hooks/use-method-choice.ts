import {useState} from 'react';
import {methods} from '../../engine/index.js';
import type {BackupMethod, Engine, Repository} from '../../engine/types.js';
import {useAsyncValue} from './use-async-value.js';
import {tuiWords} from '../options/tui-words.js';

const tuiText = (text: string | undefined) => (text === undefined ? undefined : tuiWords(text));

export interface MethodChoice {
	method: BackupMethod;
	/** Why the chosen method cannot run on this repository now; undefined: it can (or is still being checked). */
	refused?: string;
	checking: boolean;
	/** Ctrl+O (keymaps.ts, cycleMethod): online → snapshot → offline. */
	cycle: () => void;
}

/** The Create form's Method, starting with --method as given to the TUI; the engine says whether it can run here. */
export function useMethodChoice(engine: Engine, repository: Repository, initial: BackupMethod = 'online'): MethodChoice {
	const [method, setMethod] = useState<BackupMethod>(initial);
	const check = useAsyncValue(method === 'online' || !engine.checkMethod ? undefined : method, () => engine.checkMethod!(repository, method));
	const current = check.key === method;
	return {
		method, refused: current ? tuiText(check.value ?? check.error) : undefined, checking: method !== 'online' && (!current || check.loading),
		cycle: () => setMethod(previous => methods[(methods.indexOf(previous) + 1) % methods.length]!),
	};
}
