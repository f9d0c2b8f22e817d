/**
 * Without a network namespace of its own, the drill shares the host's loopback: whoever listens on its port
 * first would be taken for its AEM and sent the admin's password. A listener counts as the drill's only when
 * one of the drill's processes holds the listening socket (the kernel's socket table, read through /proc).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import net from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {checkListener, parseListeners} from '../../source/engine/drill/listener.js';
import {probe} from '../../source/engine/drill/probe.js';
import {waitFor} from '../support/cli.js';

/** A node process of its own listening on 127.0.0.1, logging each request's Authorization header on stdout. */
async function otherListener(): Promise<{child: ChildProcess; port: number; seen: () => string}> {
	const script = `const server = require('node:http').createServer((q, s) => { process.stdout.write('request ' + q.url + ' auth=' + (q.headers.authorization ?? '-') + '\\n'); s.end('{"s":[1,1,0,0,0]}'); });
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));`;
	const child = spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
	let out = '';
	child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const port = await new Promise<number>((resolve, reject) => {
		child.stdout!.on('data', () => {
			const match = /^port (\d+)$/m.exec(out);
			if (match) resolve(Number(match[1]));
		});
		child.on('exit', code => reject(new Error(`the listener exited (${code})`)));
	});
	return {child, port, seen: () => out};
}

describe('who listens on the drill port', () => {
	const cleanups: Array<() => void> = [];
	afterEach(() => {
		for (const cleanup of cleanups.splice(0)) cleanup();
	});

	it('the socket table is read as the kernel writes it: LISTEN only, on the port, reachable from 127.0.0.1', () => {
		const table = [
			'  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
			'   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 4242 1 0000000000000000 100 0 0 10 0',
			'   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1002        0 4343 1 0000000000000000 20 4 30 10 -1',
			'   2: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0',
			'   3: 0200000A:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4545 1 0000000000000000 100 0 0 10 0',
		].join('\n');
		expect(parseListeners(table, 8080)).toEqual([{inode: 4242, uid: 1001}]);
		expect(parseListeners(table, 8081)).toEqual([{inode: 4444, uid: 0}]);
		expect(parseListeners(table, 8082)).toEqual([]);
	});

	it('a socket this process listens on is ours; one of a process not in the list is not, and is named', async () => {
		const server = net.createServer();
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		cleanups.push(() => server.close());
		const ours = (server.address() as net.AddressInfo).port;
		expect(checkListener(ours, [process.pid])).toEqual({state: 'ours'});

		const other = await otherListener();
		cleanups.push(() => other.child.kill('SIGKILL'));
		const uid = process.getuid!();
		expect(checkListener(other.port, [process.pid])).toEqual({state: 'foreign', pid: other.child.pid, uid, message: `port ${other.port} is answered by a process that is not the drill's AEM (pid ${other.child.pid}, uid ${uid})`});
		expect(checkListener(other.port, [other.child.pid!])).toEqual({state: 'ours'});

		server.close();
		await new Promise(resolve => server.once('close', resolve));
		expect(checkListener(ours, [process.pid]).state).toBe('none');
	});

	it('the probe sends nothing, credentials least of all, to a listener that is not the drill\'s, and says so', async () => {
		const other = await otherListener();
		cleanups.push(() => other.child.kill('SIGKILL'));
		const authorization = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
		const refused = await probe(other.port, authorization, undefined, () => [process.pid]);
		expect(refused).toMatchObject({ready: false, foreign: true, message: `port ${other.port} is answered by a process that is not the drill's AEM (pid ${other.child.pid}, uid ${process.getuid!()})`});
		expect(other.seen()).not.toMatch(/request/);
		// The same listener, named as the drill's: it is asked, with the credentials (the check above can fail).
		expect(await probe(other.port, authorization, undefined, () => [other.child.pid!])).toMatchObject({ready: true});
		await waitFor(() => other.seen().includes(`request /system/console/bundles.json auth=${authorization}`), 10_000, 'the listener to log the request');
		// Its log is in order: the refused probe's requests would come first; there are only the second probe's.
		expect(other.seen().match(/^request .*$/gm)).toEqual(['request /libs/granite/core/content/login.html auth=-', `request /system/console/bundles.json auth=${authorization}`]);
	});
});
