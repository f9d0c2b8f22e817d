import {CrxError} from '../platform/errors.js';
import {aemPreflight} from './preflight.js';

export interface AemCheck {
	/** The sentence the backup would refuse with (AEM busy, wrong password, unreachable); undefined: it would start. */
	refusal?: string;
	/** What the backup would warn about (a status AEM does not give). */
	warnings: string[];
}

/**
 * The backup's own AEM checks (aemPreflight), asked ahead for the TUI's Create
 * form, so a running GC or a wrong password shows before Enter. Never throws.
 */
export async function checkAem(aem: {url: string; user?: string}, timeoutMs = 5000): Promise<AemCheck> {
	try {
		const {warnings} = await aemPreflight(aem, timeoutMs, false);
		return {warnings};
	} catch (error) {
		return {refusal: error instanceof CrxError || error instanceof Error ? error.message : String(error), warnings: []};
	}
}
