import type {AemState, AnyStep, EngineEvent, ProgressEvent} from '../engine/types.js';

/** A finished step as the progress views list it. */
export interface CompletedStep {
	step: AnyStep;
	files: number;
	bytes: number;
	deleted: number;
	/** Kept as they were (a re-sync, or stages 2–4): 0 where the step does not say. */
	unchanged: number;
	durationMs: number;
}

/** The counters a progress event carries (percent, bytes and files done of total): the same for every operation. */
type ProgressCounters = Omit<ProgressEvent<unknown>, 'type' | 'step' | 'estimated'>;

/** What every printer and screen renders: one sample of the store. */
export interface ProgressSnapshot extends ProgressCounters {
	step?: AnyStep;
	/**
	 * Bytes per second, a moving average (time constant rateTauMs) of what was copied between samples;
	 * undefined until a second of samples is in (a first tick's rate is noise, and "0 B/s" while bytes
	 * advance is a lie).
	 */
	rate?: number;
	/** Estimated ms left in the current step: undefined (shown blank) unless a settled rate and bytes left allow a guess. */
	etaMs?: number;
	elapsedMs: number;
	completed: CompletedStep[];
	warnings: string[];
	/** An offline backup's AEM, while the backup stops or starts it. */
	aem?: AemState;
	/**
	 * The step's totals are an estimate (a count made before the step): the views mark them so. A total is
	 * never below what is done: past the estimate, the total is the done count.
	 */
	estimated: boolean;
	/** A drill's last readiness probe, in one sentence (503 while Sling starts, bundles not all active yet…). */
	probe?: string;
	/** True between the freeze event and the thaw event. */
	writesBlocked: boolean;
	done: boolean;
}

/** The moving average's time constant: a sample's weight halves in about two seconds. */
const rateTauMs = 3000;
/** Samples closer together than this are too short to measure a rate over (timer jitter). */
const minSampleMs = 200;
/** How much sampled time a rate needs before it is shown (and an ETA guessed from it). */
const settleMs = 1000;

/**
 * Aggregates engine events into counters, a rate and an ETA (restic's ui/backup
 * pattern). Events only update fields; front ends sample `snapshot()` on a ticker
 * (about ten times a second), so rendering never happens once per file.
 */
export class ProgressStore {
	private state: ProgressSnapshot;
	private readonly started: number;
	/** Bytes copied over all steps, counted as each step's bytesDone advances (a new step starts from 0). */
	private counted = 0;
	private stepBytes = 0;
	private average: number | undefined;
	private sampled = 0;
	private last: {at: number; counted: number} | undefined;
	/** When the byte count last moved: a rate that has only decayed since then guesses no ETA. */
	private movedAt: number;

	constructor(private readonly now: () => number = Date.now) {
		this.started = now();
		this.movedAt = this.started;
		this.state = {percent: 0, bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, estimated: false, elapsedMs: 0, completed: [], warnings: [], writesBlocked: false, done: false};
	}

	handle(event: EngineEvent): void {
		const state = this.state;
		switch (event.type) {
			case 'step-start':
				this.stepBytes = 0;
				state.step = event.step;
				state.bytesDone = 0;
				state.bytesTotal = 0;
				state.filesDone = 0;
				state.filesTotal = 0;
				state.estimated = false;
				state.file = undefined;
				break;
			case 'progress':
				this.counted += Math.max(0, event.bytesDone - this.stepBytes);
				this.stepBytes = event.bytesDone;
				state.percent = event.percent;
				state.bytesDone = event.bytesDone;
				// A total of 0 is none known (the views then show what is done alone); any other is at least what is done.
				state.bytesTotal = event.bytesTotal > 0 ? Math.max(event.bytesTotal, event.bytesDone) : 0;
				state.filesDone = event.filesDone;
				state.filesTotal = event.filesTotal > 0 ? Math.max(event.filesTotal, event.filesDone) : 0;
				state.estimated = event.estimated === true;
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
			case 'probe':
				state.probe = event.message;
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
		if (!this.last) this.last = {at, counted: this.counted};
		const span = at - this.last.at;
		if (this.counted !== this.last.counted) this.movedAt = at;
		if (span >= minSampleMs) {
			const sample = ((this.counted - this.last.counted) / span) * 1000;
			// Exponential moving average over irregular samples: the weight of the new one grows with its span.
			this.average = this.average === undefined ? sample : this.average + (1 - Math.exp(-span / rateTauMs)) * (sample - this.average);
			this.sampled += span;
			this.last = {at, counted: this.counted};
		}
		const rate = this.sampled >= settleMs ? this.average : undefined;
		const left = this.state.bytesTotal - this.state.bytesDone;
		// Stalled (a throttle sleeping off its debt, a file held): the average only decays, and the ETA it implies
		// grows without end ("ETA 19144 h" for a 300 KiB step); no guess until bytes move again.
		const stalled = at - this.movedAt >= rateTauMs;
		const etaMs = rate !== undefined && rate > 0 && left > 0 && !stalled && !this.state.done ? (left / rate) * 1000 : undefined;
		return {...this.state, rate, etaMs, elapsedMs: at - this.started};
	}

	/** Calls `listener` with a fresh snapshot every `intervalMs` until the returned function is called. */
	subscribe(listener: (snapshot: ProgressSnapshot) => void, intervalMs = 100): () => void {
		const timer = setInterval(() => listener(this.snapshot()), intervalMs);
		timer.unref?.();
		return () => clearInterval(timer);
	}
}
