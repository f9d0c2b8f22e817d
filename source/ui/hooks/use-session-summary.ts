import {useRef} from 'react';
import {escapeControls} from '../../words/format.js';
import type {Job, JobStatus} from './use-job.js';

export type JobKind = 'backup' | 'restore' | 'verify' | 'drill';

interface Settled {
	kind: JobKind;
	status: JobStatus;
	/** What the job worked on: a target, a destination, a backup. */
	subject: string;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const done: Record<JobKind, string> = {backup: 'made', restore: 'done', verify: 'done', drill: 'came up'};

/** The one line printed on the restored screen after quitting: what this session did. */
export function summaryLine(settled: readonly Settled[]): string {
	if (settled.length === 0) return 'crx-backup: nothing done.';
	const parts: string[] = [];
	for (const kind of ['backup', 'restore', 'verify', 'drill'] as const) {
		const ofKind = settled.filter(job => job.kind === kind);
		const ok = ofKind.filter(job => job.status === 'done').length;
		const notOk = ofKind.length - ok;
		if (ok > 0) parts.push(`${plural(ok, kind)} ${done[kind]}`);
		if (notOk > 0) parts.push(`${plural(notOk, kind)} failed or cancelled`);
	}
	const last = settled.at(-1)!;
	// The subject names files (untrusted): printed on the restored screen, its controls are escaped as the CLI's are.
	return `crx-backup: ${parts.join(', ')}; last: ${last.kind} ${last.status === 'done' ? 'done' : last.status}, ${escapeControls(last.subject)}.`;
}

/** Subjects of a job's options, for the summary. */
type Subject<Options> = (options: Options) => string;

/**
 * Notes every job that settles (done, failed, cancelled), in the order they
 * settle; `line()` says it in one sentence.
 */
export function useSessionSummary(jobs: ReadonlyArray<{kind: JobKind; job: Job<any, any>; subject: Subject<any>; failed?: (result: any) => boolean}>): () => string { // eslint-disable-line @typescript-eslint/no-explicit-any
	const settled = useRef<Settled[]>([]);
	const seen = useRef(new Set<string>());
	for (const {kind, job, subject, failed} of jobs) {
		const id = `${kind}-${job.run}`;
		if (job.status === 'running' || job.status === 'idle' || seen.current.has(id)) continue;
		seen.current.add(id);
		// A job can end well and still report a failure (a drill whose AEM never came up): that counts as failed.
		const status = job.status === 'done' && failed?.(job.result) ? 'failed' : job.status;
		settled.current.push({kind, status, subject: job.options ? subject(job.options) : ''});
	}
	return () => summaryLine(settled.current);
}
