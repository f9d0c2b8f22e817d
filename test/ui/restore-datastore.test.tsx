import fs from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {engine} from '../../source/engine/index.js';
import {initialRestoreWizard, restoreWizardReducer as reduce} from '../../source/ui/state/restore-wizard.js';
import {runCli} from '../support/cli.js';
import {keys, renderAt, sendAndWait, waitForFrame, type Rendered} from '../support/render.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {treeDigest} from '../support/faults.js';
import {addExternalDatastore} from '../../source/demo/external-datastore.js';

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

test('the datastore step comes after the destination only for a backup that holds one, and Enter waits for a usable folder', () => {
	let state = initialRestoreWizard({path: '/b', destination: '/tmp/new'});
	state = reduce(state, {type: 'checked', text: '/tmp/new', ok: true});
	expect(reduce(reduce(state, {type: 'planned', backup: '/b'}), {type: 'next'}).step).toBe('options');
	state = reduce(state, {type: 'planned', backup: '/b', datastore: '/mnt/ds'});
	state = reduce(state, {type: 'next'});
	expect(state.step).toBe('datastore');
	expect(reduce(state, {type: 'next'}).step).toBe('datastore'); // Not checked yet.
	state = reduce(state, {type: 'planned', backup: '/b', datastore: '/elsewhere'}); // The same plan again: what was typed stays.
	expect(state.datastore?.text).toBe('/mnt/ds');
	state = reduce(state, {type: 'checked', text: '/mnt/ds', ok: true, field: 'datastore'});
	expect(reduce(state, {type: 'next'}).step).toBe('options');
	expect(reduce(reduce(state, {type: 'next'}), {type: 'back'}).step).toBe('datastore');
});

test('the wizard asks where the external datastore goes, showing the recorded path, and restores it there byte for byte', async () => {
	const root = fs.realpathSync(tempDir('crx-ui-ds-'));
	const {install, quickstart} = makeInstall(root, {live: false});
	const datastore = path.join(root, 'mnt', 'ds');
	addExternalDatastore(quickstart, datastore, {records: 3});
	const backup = path.join(root, 'night');
	const made = await runCli(['backup', '--repo', install, '--target', backup], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state')}});
	expect(made.code, made.stderr).toBe(0);
	const repository = await engine.resolveRepository(install);
	const r = (rendered = renderAt(<App engine={engine} repository={repository} initialRoute={{screen: 'restore', backup}} />, {columns: 100, rows: 30}));
	await waitForFrame(r, '✔ a new folder', 10_000);
	let frame = await sendAndWait(r, keys.enter, 'external datastore', 10_000);
	expect(frame).toContain(`Recorded  ${datastore}`);
	// The original is still there, so the recorded path is refused as it stands.
	await waitForFrame(r, 'is not empty', 10_000);
	r.stdin.write(keys.enter);
	frame = await sendAndWait(r, '2', '✔ a new folder', 10_000);
	expect(frame).toMatch(/AEM's configuration keeps the recorded path/);
	await sendAndWait(r, keys.enter, 'Restore 3/5', 10_000);
	frame = await sendAndWait(r, keys.enter, 'Restore 4/5');
	expect(frame).toMatch(new RegExp(`Datastore\\s+${datastore}2`));
	await sendAndWait(r, keys.enter, 'Restore complete  100%', 20_000);
	expect(treeDigest(`${datastore}2`, {meta: false})).toEqual(treeDigest(datastore, {meta: false}));
	fs.rmSync(root, {recursive: true});
}, 60_000);

test('a plan that arrives once the destination step is passed sends the wizard back to ask', () => {
	let state = initialRestoreWizard({path: '/b', destination: '/tmp/new'});
	state = reduce(reduce(state, {type: 'checked', text: '/tmp/new', ok: true}), {type: 'next'});
	expect(state.step).toBe('options');
	state = reduce(state, {type: 'planned', backup: '/b', datastore: '/mnt/ds'});
	expect(state.step).toBe('datastore');
});
