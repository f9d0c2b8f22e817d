import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {startJmxServer, type JmxServer} from '../../source/demo/fake-aem/jmx-server.js';
import {App} from '../../source/ui/app.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRepository} from '../support/fake-engine.js';
import {renderAt, waitForFrame, type Rendered} from '../support/render.js';

/**
 * Home's AEM row asks again while Home is open: an offline backup stops AEM and
 * starts it again (the demo's does, in seconds), and the row must not keep saying
 * "refused" once AEM answers again. A real JMX emulation that comes up late on the same port.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-home-aem-refresh-'));
const saved = {home: process.env.HOME, password: process.env.CRX_BACKUP_AEM_PASSWORD};
let server: JmxServer | undefined;
let rendered: Rendered | undefined;
afterAll(async () => {
	rendered?.unmount();
	await server?.close();
	for (const [name, value] of [['HOME', saved.home], ['CRX_BACKUP_AEM_PASSWORD', saved.password]] as const) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	fs.rmSync(root, {recursive: true, force: true});
});

it('says AEM answers again once it is back, without leaving Home', async () => {
	process.env.HOME = root; // No operator's ~/.netrc.
	process.env.CRX_BACKUP_AEM_PASSWORD = 'refresh-Secret-3';
	const probe = net.createServer();
	await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
	const {port} = probe.address() as net.AddressInfo;
	await new Promise(resolve => probe.close(resolve));
	const url = `http://127.0.0.1:${port}`;
	rendered = renderAt(<App engine={new FakeEngine()} repository={fakeRepository} theme={colourTheme} prefill={{backup: {aem: url}, restore: {}}} />);
	await waitForFrame(rendered, `✖ AEM at ${url} refused the connection`, 10_000);
	server = await startJmxServer({password: 'refresh-Secret-3', port, requestLog: path.join(root, 'requests.jsonl')});
	const frame = await waitForFrame(rendered, new RegExp(`AEM +✔ reachable at ${url}\n`), 10_000);
	expect(frame).toContain('Home');
});
