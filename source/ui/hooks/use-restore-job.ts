import type {Engine, RestoreOptions, RestoreSummary} from '../../engine/types.js';
import {useJob, type Job} from './use-job.js';

export type RestoreRequest = Omit<RestoreOptions, 'signal' | 'onEvent'>;
export type RestoreJob = Job<RestoreRequest, RestoreSummary>;

export const useRestoreJob = (engine: Engine): RestoreJob =>
	useJob<RestoreRequest, RestoreSummary>((options, signal, onEvent) => engine.restore({...options, signal, onEvent}));
