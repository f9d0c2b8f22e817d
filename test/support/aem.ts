import fs from 'node:fs';
import path from 'node:path';
import {readJsonLines} from '../../source/demo/fake-aem/control.js';
import type {ConsoleSettings} from '../../source/demo/fake-aem/console-forms.js';
import {startJmxServer, type Faults, type JmxServer} from '../../source/demo/fake-aem/jmx-server.js';
import {generateRepository} from '../../source/demo/generate.js';
import {startLiveWriter, type LiveWriter} from '../../source/demo/live-writer.js';

/**
 * An AEM for --aem tests: a generated repository, the live writer on it, and the
 * JMX emulation (source/demo/fake-aem/jmx-server.ts) on 127.0.0.1 whose
 * block/unblock freeze and thaw that writer. In-process, so a test changes faults
 * and GC states directly; the CLI under test talks to it over real HTTP.
 */
export interface AemRig {
	install: string;
	url: string;
	password: string;
	server: JmxServer;
	writer: LiveWriter;
	/** The writer's JSON-lines events (frozen, thawed). */
	writerEvents: () => Array<{event: string; at: number; frozenMs?: number}>;
	/** Every request the console received: {at, method, path}. */
	requests: () => Array<{at: number; method: string; path: string}>;
	setFaults: (faults: Faults) => void;
	/** How the console answers (source/demo/fake-aem/console-forms.ts); unset fields keep their value. */
	setConsole: (settings: Partial<ConsoleSettings>) => void;
	close: () => Promise<void>;
}

export async function startAemRig(root: string, options: {password?: string; revisionGcMs?: number; backupMs?: number} = {}): Promise<AemRig> {
	const password = options.password ?? 'S3cret-aem-pw!';
	const install = path.join(root, 'AEM');
	const generated = await generateRepository(install, {sizeBytes: 2 * 1024 * 1024, seed: 7});
	const controlDir = path.join(root, 'control');
	const eventLog = path.join(root, 'writer-events.jsonl');
	const requestLog = path.join(root, 'requests.jsonl');
	const writer = await startLiveWriter({quickstart: generated.quickstart, controlDir, eventLog});
	const server = await startJmxServer({password, requestLog, writerControlDir: controlDir, revisionGcMs: options.revisionGcMs, backupMs: options.backupMs});
	return {
		install, url: server.url, password, server, writer,
		writerEvents: () => readJsonLines(eventLog),
		requests: () => readJsonLines(requestLog),
		setFaults: faults => {
			server.faults.hang = faults.hang ?? [];
			server.faults.fail = faults.fail ?? [];
			server.faults.login = faults.login ?? [];
		},
		setConsole: settings => Object.assign(server.console, settings),
		close: async () => {
			await server.close();
			await writer.stop().catch(() => undefined);
		},
	};
}

/** Requests for one JMX operation (by name) in the rig's log. */
export const opCalls = (rig: AemRig, op: string) => rig.requests().filter(request => request.method === 'POST' && request.path.includes(`/op/${op}/`));

/** Whether any text the test captured holds the password, raw or in Basic auth's base64. */
export function leaks(text: string, password: string): boolean {
	return text.includes(password) || text.includes(Buffer.from(password).toString('base64').replace(/=+$/, '')) || text.includes(Buffer.from(`admin:${password}`).toString('base64').replace(/=+$/, ''));
}

export const readIfThere = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
