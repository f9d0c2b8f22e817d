import type {Engine, VerifyResult} from '../../engine/types.js';
import {useJob, type Job} from './use-job.js';

export interface VerifyRequest {
	/** The backup's path, as `list` gives it. */
	backup: string;
}
export type VerifyJob = Job<VerifyRequest, VerifyResult>;

export const useVerifyJob = (engine: Engine): VerifyJob =>
	useJob<VerifyRequest, VerifyResult>((options, signal, onEvent) => engine.verify(options.backup, {signal, onEvent}));
