import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {colourTheme} from '../../source/ui/theme.js';
import type {BackupMethod, Repository} from '../../source/engine/types.js';
import {FakeEngine, fakeRepository} from '../support/fake-engine.js';
import {renderAt, sendAndWait, waitForFrame, type Rendered} from '../support/render.js';

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

const CTRL_O = '\x0f';

/** The engine's answer for this repository: snapshot refused (not on btrfs), offline possible. */
class MethodsEngine extends FakeEngine {
	async checkMethod(_repository: Repository, method: BackupMethod): Promise<string | undefined> {
		return method === 'snapshot' ? 'The repository /opt/aem/crx-quickstart is not on a file system crx-backup can snapshot (btrfs).' : undefined;
	}
}

describe('Create Backup: Method', () => {
	it('cycles the methods with Ctrl+O, shows each one\'s cost or why it is refused, and starts with the chosen one', async () => {
		const engine = new MethodsEngine();
		rendered = renderAt(<App engine={engine} repository={fakeRepository} theme={colourTheme} onQuit={() => undefined} />, {columns: 80, rows: 24});
		const r = rendered;
		await waitForFrame(r, 'Create backup');
		let frame = await sendAndWait(r, 'c', 'ready: Enter starts');
		expect(frame).toContain('Method');
		expect(frame).toContain('[online]');
		expect(frame).toContain('writes blocked for a last walk of the tree');
		frame = await sendAndWait(r, CTRL_O, frame => frame.includes('[snapshot]') && frame.includes('not on a file system'));
		expect(frame).not.toContain('ready: Enter starts');
		expect(frame).toMatch(/Checks\s+✖ the snapshot method cannot run here \(Method above\): Ctrl\+O picks\s+another/);
		r.stdin.write('\r'); // Refused: Enter does nothing.
		frame = await sendAndWait(r, CTRL_O, frame => frame.includes('[offline]') && frame.includes('ready: Enter starts'));
		expect(frame).toContain('AEM stopped for the copy');
		await sendAndWait(r, '\r', 'Stage 1');
		expect(engine.callsTo('backup')).toHaveLength(1);
		expect(engine.callsTo('backup')[0]![0]).toMatchObject({method: 'offline'});
	});
});
