/** Verify: its options, problems and result. */
import type {OperationEvent} from '../progress-contract.js';

export interface VerifyProblem {
	path: string;
	problem: string;
}

export interface VerifyResult {
	ok: boolean;
	files: number;
	bytes: number;
	problems: VerifyProblem[];
}

/** Verify is one step, named as restore's first step (which is the same check). */
export type VerifyStep = 'verify';

export type VerifyEvent = OperationEvent<VerifyStep, VerifyResult>;

export interface VerifyOptions {
	signal?: AbortSignal;
	onEvent?: (event: VerifyEvent) => void;
}
