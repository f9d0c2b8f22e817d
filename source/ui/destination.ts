import path from 'node:path';
import type {Engine} from '../engine/types.js';
import {CrxError} from '../engine/index.js';
import {tuiWords} from './options/tui-words.js';

export type DestinationCheck = {ok: true; path: string; exists: boolean} | {ok: false; path: string; reason: string};

/**
 * The restore wizard's live check: the engine's own destination rule
 * (checkRestoreDestination), so the wizard refuses exactly what `restore`
 * refuses, with the same sentence. The engine checks again when the restore
 * starts; this spares the operator a late surprise.
 */
export async function checkDestination(engine: Pick<Engine, 'checkDestination'>, text: string, backup?: string, cwd = process.cwd()): Promise<DestinationCheck> {
	const resolved = path.resolve(cwd, text.trim());
	try {
		const {existed} = await engine.checkDestination(resolved, backup);
		return {ok: true, path: resolved, exists: existed};
	} catch (error) {
		return {ok: false, path: resolved, reason: error instanceof CrxError ? tuiWords(error.message) : String(error)};
	}
}
