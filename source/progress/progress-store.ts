import type {AemState, EngineEvent, ProgressEvent, ResticStep, RestoreStep, Step} from '../engine/types.js';

/** A finished step as the progress views list it. */
export interface CompletedStep {
	step: Step | RestoreStep | ResticStep;
	files: number;
	bytes: number;
	deleted: number;
	/** Kept as they were (a re-sync, or stages 2–4): 0 where the step does not say. */
	unchanged: number;
	durationMs: number;
}

/** The counters a progress event carries (percent, bytes and files done of total): the same for every operation. */
type ProgressCounters = Omit<ProgressEvent<unknown>, 'type' | 'step'>;

/** What every printer and screen renders: one sample of the store. */
export interface ProgressSnapshot extends ProgressCounters {
	step?: Step | RestoreStep | ResticStep;
	/** Bytes per second over the last few seconds. */
	rate: number;
	/** Estimated ms left in the current step, when the rate allows a guess. */
	etaMs?: number;
	elapsedMs: number;
	completed: CompletedStep[];
	warnings: string[];
	/** An offline backup's AEM, while the backup stops or starts it. */
	aem?: AemState;
	/** True between the freeze event and the thaw event. */
	writesBlocked: boolean;
	done: boolean;
}

const windowMs = 3000;

/**
 * Aggregates engine events into counters, a rate and an ETA (restic's ui/backup
 * pattern). Events only update fields; front ends sample `snapshot()` on a ticker
 * (about ten times a second), so rendering never happens once per file.
 */
export class ProgressStore {
	private state: ProgressSnapshot;
	private readonly started: number;
	private readonly samples: Array<{at: number; bytes: number}> = [];
	private bytesBeforeStep = 0;

	constructor(private readonly now: () => number = Date.now) {
		this.started = now();
		this.state = {percent: 0, bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, rate: 0, elapsedMs: 0, completed: [], warnings: [], writesBlocked: false, done: false};
	}

	handle(event: EngineEvent): void {
		const state = this.state;
		switch (event.type) {
			case 'step-start':
				this.bytesBeforeStep += state.bytesDone;
				state.step = event.step;
				state.bytesDone = 0;
				state.bytesTotal = 0;
				state.filesDone = 0;
				state.filesTotal = 0;
				state.file = undefined;
				break;
			case 'progress':
				state.percent = event.percent;
				state.bytesDone = event.bytesDone;
				state.bytesTotal = event.bytesTotal;
				state.filesDone = event.filesDone;
				state.filesTotal = event.filesTotal;
				if (event.file !== undefined) state.file = event.file;
				break;
			case 'step-end':
				state.completed = [...state.completed, {
					step: event.step,
					files: event.files ?? state.filesDone,
					bytes: event.bytes ?? state.bytesDone,
					deleted: event.deleted ?? 0,
					unchanged: event.unchanged ?? 0,
					durationMs: event.durationMs,
				}];
				break;
			case 'freeze':
				state.writesBlocked = true;
				break;
			case 'thaw':
				state.writesBlocked = false;
				break;
			case 'aem':
				state.aem = event.state;
				break;
			case 'warning':
				state.warnings = [...state.warnings, event.message];
				break;
			case 'done':
				state.done = true;
				state.percent = 100;
				state.file = undefined;
				break;
			default:
				break;
		}
	}

	/** A copy of the current state with rate and ETA worked out now. */
	snapshot(): ProgressSnapshot {
		const at = this.now();
		const total = this.bytesBeforeStep + this.state.bytesDone;
		this.samples.push({at, bytes: total});
		while (this.samples.length > 2 && at - this.samples[0]!.at > windowMs) this.samples.shift();
		const first = this.samples[0]!;
		const seconds = (at - first.at) / 1000;
		const rate = seconds > 0.2 ? Math.max(0, (total - first.bytes) / seconds) : this.state.rate;
		this.state.rate = rate;
		const left = this.state.bytesTotal - this.state.bytesDone;
		// An ETA from less than a second of samples is noise ("3 days" in the first tick): wait for a real rate.
		const settled = seconds >= 1;
		const etaMs = settled && rate > 0 && left > 0 ? (left / rate) * 1000 : (left === 0 && this.state.bytesTotal > 0 ? 0 : undefined);
		return {...this.state, rate, etaMs, elapsedMs: at - this.started};
	}

	/** Calls `listener` with a fresh snapshot every `intervalMs` until the returned function is called. */
	subscribe(listener: (snapshot: ProgressSnapshot) => void, intervalMs = 100): () => void {
		const timer = setInterval(() => listener(this.snapshot()), intervalMs);
		timer.unref?.();
		return () => clearInterval(timer);
	}
}
