/**
 * The engine's contract with its two front ends (headless commands, Ink TUI).
 * The engine never prints, never reads the terminal and never exits the process:
 * it takes options plus an AbortSignal and reports through typed events.
 */


export type {ManifestStorage, StorageLayout} from './storage/types.js';

export type * from './restic/types.js';

export type {OnProgress, OperationEvent, Progress, ProgressEvent, StepEndEvent, StepStartEvent} from './progress-contract.js';

export type * from './contract/backup.js';
export type * from './contract/manifest.js';
export type * from './contract/catalog.js';
export type * from './contract/verify.js';
export type * from './contract/restore.js';
export type * from './contract/nightly.js';
export type * from './contract/drill.js';
export type * from './contract/engine.js';
