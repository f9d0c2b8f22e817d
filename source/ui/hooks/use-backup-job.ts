import type {BackupOptions, BackupSummary, Engine} from '../../engine/types.js';
import {useJob, type Job} from './use-job.js';

/** What a screen asks for; the job adds the AbortSignal and the event sink. */
export type BackupRequest = Omit<BackupOptions, 'signal' | 'onEvent'>;
export type BackupJob = Job<BackupRequest, BackupSummary>;

export const useBackupJob = (engine: Engine): BackupJob =>
	useJob<BackupRequest, BackupSummary>((options, signal, onEvent) => engine.backup({...options, signal, onEvent}));
