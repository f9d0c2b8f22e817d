import type {MethodReport} from '../../types.js';

/** What the copy reads and what happens once it is over. */
export interface CopySource {
	/** The crx-quickstart the copy reads: the live one, or the one inside a snapshot. */
	source: string;
	/** One pass (a snapshot or a stopped AEM does not change) instead of four converging stages. */
	onePass: boolean;
	report: MethodReport;
	/** Writes blocked by the method itself (undefined: the stages' stage 4 says). */
	writesBlockedMs(): number | undefined;
	/** The copy is staged: AEM may run again (offline starts it here, before a zip is written). Returns a failure sentence. */
	resume?(): Promise<string | undefined>;
	/** Releases the snapshot and starts AEM again; runs on success, failure and cancel; called again it does nothing. Returns a failure sentence. */
	finish(): Promise<string | undefined>;
}
