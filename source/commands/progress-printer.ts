import type {ProgressStore, ProgressSnapshot} from '../progress/progress-store.js';
import type {EngineEvent} from '../engine/types.js';
import {bytes, bytesOfTotal, duration, rate, stepLineLabel, truncateMiddle} from '../words/format.js';

const aemLines = {
	stopping: '… Stopping AEM: the copy starts once its JVM has exited',
	down: '✔ AEM is down',
	starting: '… Starting AEM',
	running: '✔ AEM runs again',
} as const;

/**
 * Progress on stderr for the headless commands. On a terminal: one live line,
 * redrawn from store snapshots about ten times a second. Otherwise (cron, CI,
 * a pipe): one line when each step ends, and each warning.
 */
export class ProgressPrinter {
	private unsubscribe?: () => void;
	private lastLength = 0;

	constructor(private readonly store: ProgressStore, private readonly stream: NodeJS.WriteStream) {}

	get live(): boolean {
		return Boolean(this.stream.isTTY);
	}

	start(): void {
		if (this.live) this.unsubscribe = this.store.subscribe(snapshot => this.draw(snapshot), 100);
	}

	/** Feed every engine event through here: it updates the store and prints the line-per-step output. */
	handle(event: EngineEvent): void {
		this.store.handle(event);
		if (event.type === 'step-end') {
			const deleted = event.deleted ? `, ${event.deleted} deleted` : '';
			const counts = event.files === undefined ? '' : `: ${event.files} files, ${bytes(event.bytes ?? 0)}${deleted}`;
			this.line(`✔ ${stepLineLabel(event.step)}${counts} in ${duration(event.durationMs)}`);
		} else if (event.type === 'warning') {
			this.line(`⚠ ${event.message}`);
		} else if (event.type === 'freeze') {
			// --aem's freezer names its JMX operation ("AEM blockRepositoryWrites at …"); a command's text is never echoed.
			this.line(`… Blocking repository writes (${event.command.startsWith('AEM ') ? event.command : 'freeze command'})`);
		} else if (event.type === 'aem') {
			this.line(aemLines[event.state]);
		} else if (event.type === 'thaw') {
			const aem = event.command.startsWith('AEM ');
			if (event.ok) this.line(`✔ Repository writes unblocked (${aem ? event.command : 'thaw command'})`);
			else this.line(aem ? `✖ ${event.command} failed` : '✖ The thaw command failed');
		}
	}

	stop(): void {
		this.unsubscribe?.();
		this.clear();
	}

	private draw(snapshot: ProgressSnapshot): void {
		if (!snapshot.step || snapshot.done) return;
		const width = this.stream.columns ?? 80;
		const eta = snapshot.etaMs === undefined ? undefined : `ETA ${duration(snapshot.etaMs)}`;
		// Without a total (verifying one of AEM's zips: no manifest) there is no percent to give, only what was done.
		// A backup stage's total is the count made before it: "of ~13.6 MiB", never below what is done (as in the TUI).
		const ofTotal = bytesOfTotal(snapshot);
		const figures = ofTotal ? `${snapshot.percent.toFixed(1)}%  ${ofTotal}` : `${snapshot.filesDone} files, ${bytes(snapshot.bytesDone)}`;
		// A rate and an ETA only once known: blank, not "0 B/s" or "ETA 0 ms".
		const head = [stepLineLabel(snapshot.step), figures, snapshot.rate === undefined ? undefined : rate(snapshot.rate), eta].filter(Boolean).join('  ');
		const file = snapshot.file ? `  ${truncateMiddle(snapshot.file, Math.max(0, width - head.length - 3))}` : '';
		const text = `${head}${file}`.slice(0, width - 1);
		this.stream.write(`\r${text}${' '.repeat(Math.max(0, this.lastLength - text.length))}`);
		this.lastLength = text.length;
	}

	private clear(): void {
		if (this.live && this.lastLength > 0) this.stream.write(`\r${' '.repeat(this.lastLength)}\r`);
		this.lastLength = 0;
	}

	private line(text: string): void {
		this.clear();
		this.stream.write(`${text}\n`);
	}
}
