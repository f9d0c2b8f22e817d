import {useInput} from 'ink';
import {useState} from 'react';
import {methods} from '../../engine/index.js';
import type {BackupMethod, Engine, Repository} from '../../engine/types.js';
import {useAsyncValue} from './use-async-value.js';

export interface MethodChoice {
	method: BackupMethod;
	/** Why the chosen method cannot run on this repository now; undefined: it can (or is still being checked). */
	refused?: string;
	checking: boolean;
}

/**
 * The Create form's Method (issue 17): Ctrl+O cycles online → snapshot →
 * offline. A control key, so typing into the text fields is never taken; its
 * own useInput, so the form's keymap and reducer stay as they are.
 */
export function useMethodChoice(engine: Engine, repository: Repository, isActive: boolean): MethodChoice {
	const [method, setMethod] = useState<BackupMethod>('online');
	useInput((input, key) => {
		if (key.ctrl && input === 'o') setMethod(current => methods[(methods.indexOf(current) + 1) % methods.length]!);
	}, {isActive});
	const check = useAsyncValue(method === 'online' || !engine.checkMethod ? undefined : method, () => engine.checkMethod!(repository, method));
	const current = check.key === method;
	return {method, refused: current ? check.value ?? check.error : undefined, checking: method !== 'online' && (!current || check.loading)};
}
