import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {aemRunning} from '../backup/methods/aem-process.js';
import {QUICKSTART} from '../platform/paths.js';
import type {StartAdvice} from '../contract/restore.js';

export type {StartAdvice};

/** AEM's bin/start default when the script names no CQ_PORT. */
const DEFAULT_PORT = 4502;

/** The port bin/start would take: its literal `CQ_PORT=<n>` (AEM's script sets the default that way), else 4502. */
export function scriptPort(quickstart: string): number {
	try {
		const fd = fs.openSync(path.join(quickstart, 'bin/start'), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		try {
			if (!fs.fstatSync(fd).isFile()) return DEFAULT_PORT;
			const buffer = Buffer.alloc(64 * 1024);
			const text = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
			const port = Number(/^\s*CQ_PORT=['"]?(\d{1,5})['"]?\s*$/m.exec(text)?.[1]);
			return port > 0 && port < 65536 ? port : DEFAULT_PORT;
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return DEFAULT_PORT;
	}
}

/** Whether something accepts a TCP connection on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({host: '127.0.0.1', port});
		const done = (inUse: boolean) => {
			socket.destroy();
			resolve(inUse);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

export async function startAdvice(restoredInstall: string, source: string | undefined): Promise<StartAdvice> {
	const port = scriptPort(path.join(restoredInstall, QUICKSTART));
	// The manifest's source is untrusted: only a plain absolute path is checked and named (a newline in it would forge a line).
	const plain = typeof source === 'string' && path.isAbsolute(source) && path.normalize(source) === source && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(source);
	const sourceRunning = plain && fs.existsSync(source) && aemRunning(source) ? source : undefined;
	return {port, portInUse: await listening(port), ...(sourceRunning ? {sourceRunning} : {})};
}
