import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {startJmxServer, type JmxServer} from '../../source/demo/fake-aem/jmx-server.js';
import {App} from '../../source/ui/app.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRepository} from '../support/fake-engine.js';
import {renderAt, waitForFrame, type Rendered} from '../support/render.js';

/** Home's AEM row: a real JMX emulation on 127.0.0.1, the password from the environment. */
let root: string;
let server: JmxServer;
let rendered: Rendered | undefined;
const savedHome = process.env.HOME;
beforeAll(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-home-aem-'));
	server = await startJmxServer({password: 'home-Secret-9', requestLog: path.join(root, 'requests.jsonl')});
	process.env.CRX_BACKUP_AEM_PASSWORD = 'home-Secret-9';
	process.env.HOME = root; // No operator's ~/.netrc.
});
afterEach(() => rendered?.unmount());
afterAll(async () => {
	await server.close();
	process.env.HOME = savedHome;
	delete process.env.CRX_BACKUP_AEM_PASSWORD;
	fs.rmSync(root, {recursive: true, force: true});
});

const open = (url: string) => (rendered = renderAt(<App engine={new FakeEngine()} repository={fakeRepository} theme={colourTheme} prefill={{backup: {aem: url}, restore: {}}} />));

it('says AEM is reachable at --aem, and that it runs its own backup', async () => {
	const frame = await waitForFrame(open(server.url), frame => new RegExp(`AEM +✔ reachable at ${server.url}\n`).test(frame), 10_000);
	expect(frame).not.toContain('home-Secret-9');
	rendered!.unmount();
	rendered = undefined;
	server.state.backup.start(10_000);
	await waitForFrame(open(server.url), `✔ reachable at ${server.url}, running its own backup`, 10_000);
	server.state.backup.cancel();
});

it('says in one sentence why an address does not answer', async () => {
	const probe = net.createServer();
	await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
	const {port} = probe.address() as net.AddressInfo;
	await new Promise(resolve => probe.close(resolve));
	await waitForFrame(open(`http://127.0.0.1:${port}`), `✖ AEM at http://127.0.0.1:${port} refused the connection`, 10_000);
});

it('shows no AEM row without --aem', async () => {
	rendered = renderAt(<App engine={new FakeEngine()} repository={fakeRepository} theme={colourTheme} />);
	const frame = await waitForFrame(rendered, 'Create backup');
	expect(frame).not.toContain('AEM ');
});
