import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {parseFelixConfig, parseJsonConfig} from '../../../source/engine/storage/osgi-config.js';
import {readStorageLayout} from '../../../source/engine/storage/layout.js';
import {tempDir} from '../../support/trees.js';

const FDS = 'org.apache.jackrabbit.oak.plugins.blob.datastore.FileDataStore';
const SEGMENT = 'org.apache.jackrabbit.oak.segment.SegmentNodeStoreService';

test('Felix .config: typed values, arrays over lines, escapes, comments, unquoted words', () => {
	const {values, problems} = parseFelixConfig([
		'# a comment',
		'path="/mnt/data\\"store\\\\x\\u0041"',
		'customBlobStore=B"true"',
		'minRecordLength=I"4096"',
		'maxCachedBinarySize=L"17408"',
		'names=[ \\',
		'  "a", \\',
		'  "b,c", \\',
		'  ]',
		'tries=I[ "1", "2" ]',
		'flag=false',
		'',
	].join('\n'));
	expect(problems).toEqual([]);
	expect(values).toEqual({
		path: '/mnt/data"store\\xA', customBlobStore: true, minRecordLength: 4096, maxCachedBinarySize: 17408,
		names: ['a', 'b,c'], tries: [1, 2], flag: false,
	});
});

test('garbage is read as far as it goes and said, never thrown', () => {
	const garbage = ['path="/mnt/ok"', '=nokey', 'broken="never closed', '\u0000\u0001\u0002', 'x=[ "a", 12 ]', '__proto__="polluted"', 'after="still read"'].join('\n');
	const {values, problems} = parseFelixConfig(garbage);
	expect(values.path).toBe('/mnt/ok');
	expect(values.after).toBe('still read');
	expect(problems.length).toBeGreaterThanOrEqual(3);
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	for (let i = 0; i < 200; i++) {
		const random = Array.from({length: 200}, () => String.fromCharCode(Math.floor(Math.random() * 128))).join('');
		expect(() => parseFelixConfig(random)).not.toThrow();
		expect(() => parseJsonConfig(random)).not.toThrow();
	}
});

test('.cfg.json: type hints dropped, comments allowed, a non-object is a problem', () => {
	expect(parseJsonConfig('{\n // where\n "path:String": "/mnt/ds", "customBlobStore": true, "n": [1, 2] }').values).toEqual({path: '/mnt/ds', customBlobStore: true, n: [1, 2]});
	expect(parseJsonConfig('[1]').problems).toEqual(['not a JSON object']);
});

function quickstart(): string {
	const q = path.join(tempDir('crx-layout-'), 'AEM', 'crx-quickstart');
	fs.mkdirSync(path.join(q, 'install'), {recursive: true});
	return q;
}

test('install/ wins over launchpad/config; a relative path resolves against the install folder; no config: binaries in segments', () => {
	const q = quickstart();
	expect(readStorageLayout(q)).toMatchObject({nodeStore: 'segment', binaries: 'segment', warnings: []});
	const persisted = path.join(q, 'launchpad', 'config', ...FDS.split('.')) + '.config';
	fs.mkdirSync(path.dirname(persisted), {recursive: true});
	fs.writeFileSync(persisted, 'path="/mnt/persisted"\n');
	expect(readStorageLayout(q).datastore).toEqual({path: '/mnt/persisted', external: true, configuredIn: persisted});
	fs.writeFileSync(path.join(q, 'install', `${FDS}.config`), 'path="crx-quickstart/repository/datastore"\n');
	expect(readStorageLayout(q).datastore).toMatchObject({path: path.join(q, 'repository', 'datastore'), external: false});
	fs.writeFileSync(path.join(q, 'install', `${SEGMENT}.config`), 'customBlobStore=B"false"\n');
	const off = readStorageLayout(q);
	expect(off.binaries).toBe('segment');
	expect(off.warnings.join()).toMatch(/customBlobStore is false/);
});

test('a config that is a link, too big, or garbage is a warning; the layout is still read', () => {
	const q = quickstart();
	fs.symlinkSync('/etc/passwd', path.join(q, 'install', `${FDS}.config`));
	fs.writeFileSync(path.join(q, 'install', `${SEGMENT}.config`), 'x'.repeat(70 * 1024));
	fs.writeFileSync(path.join(q, 'install', 'org.apache.jackrabbit.oak.plugins.document.DocumentNodeStoreService.cfg.json'), '{not json');
	const layout = readStorageLayout(q);
	expect(layout.warnings).toHaveLength(3);
	expect(layout.warnings.join('\n')).toMatch(/symbolic link/);
	expect(layout.warnings.join('\n')).toMatch(/more than a configuration holds/);
	expect(layout.warnings.join('\n')).toMatch(/not valid JSON/);
	expect(layout.nodeStore).toBe('document');
});
