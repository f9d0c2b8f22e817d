import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {startJmxServer, type JmxServer} from '../../source/demo/fake-aem/jmx-server.js';
import {App} from '../../source/ui/app.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRepository} from '../support/fake-engine.js';
import {renderAt, sendAndWait, tooWide, waitForFrame, type Rendered} from '../support/render.js';

/**
 * Create Backup says before Enter what the backup's own AEM checks would say: a real
 * JMX emulation on 127.0.0.1; without --aem, the maintenance window's warning.
 */
let root: string;
let server: JmxServer;
let rendered: Rendered | undefined;
const saved = {home: process.env.HOME, window: process.env.CRX_BACKUP_MAINTENANCE_WINDOW, now: process.env.CRX_BACKUP_NOW};
beforeAll(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-create-aem-'));
	server = await startJmxServer({password: 'create-Secret-7', requestLog: path.join(root, 'requests.jsonl')});
	process.env.CRX_BACKUP_AEM_PASSWORD = 'create-Secret-7';
	process.env.HOME = root; // No operator's ~/.netrc.
});
afterEach(() => {
	rendered?.unmount();
	rendered = undefined;
	process.env.CRX_BACKUP_MAINTENANCE_WINDOW = saved.window;
	if (saved.now === undefined) delete process.env.CRX_BACKUP_NOW;
	else process.env.CRX_BACKUP_NOW = saved.now;
});
afterAll(async () => {
	await server.close();
	process.env.HOME = saved.home;
	delete process.env.CRX_BACKUP_AEM_PASSWORD;
	fs.rmSync(root, {recursive: true, force: true});
});

const create = async (prefill: Record<string, string>) => {
	rendered = renderAt(<App engine={new FakeEngine()} repository={fakeRepository} theme={colourTheme} prefill={{backup: prefill, restore: {}}} />, {columns: 80, rows: 24});
	await waitForFrame(rendered, 'Create backup');
	return rendered;
};

it('with --aem: answers and nothing running, then a revision GC running, in the backup\'s own sentence', async () => {
	let frame = await sendAndWait(await create({aem: server.url}), 'c', /AEM +✔ answers; no backup or garbage collection running/);
	expect(tooWide(frame, 80)).toEqual([]);
	rendered!.unmount();
	server.state.revisionGc.start(10_000);
	try {
		frame = await sendAndWait(await create({aem: server.url}), 'c', /AEM +✖ AEM at http:\/\/127\.0\.0\.1:\d+ is running revision garbage/);
		expect(frame.replace(/\s+/g, ' ')).toContain('tick Force in Options to start anyway');
		expect(frame).not.toContain('create-Secret-7');
	} finally {
		server.state.revisionGc.cancel();
	}
});

it('without --aem: the maintenance window\'s warning when the backup would start inside it, none outside', async () => {
	process.env.CRX_BACKUP_MAINTENANCE_WINDOW = '';
	process.env.CRX_BACKUP_NOW = '2026-11-30T03:10:00';
	let frame = await sendAndWait(await create({}), 'c', /Window +⚠ The backup starts inside AEM's maintenance window \(02:00–05:00\)/);
	expect(tooWide(frame, 80)).toEqual([]);
	rendered!.unmount();
	process.env.CRX_BACKUP_NOW = '2026-11-30T12:10:00';
	frame = await sendAndWait(await create({}), 'c', 'ready: Enter starts');
	expect(frame).not.toContain('maintenance window');
});
