// The worker thread behind snapshotTarget: takes the snapshot and exits (an error ends it with a non-zero code).
import {workerData} from 'node:worker_threads';
import {writeTargetSnapshot, type SnapshotJob} from './target-snapshot.js';

writeTargetSnapshot(workerData as SnapshotJob);
