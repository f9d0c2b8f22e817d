import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {parseJsonConfig} from '../../../source/engine/storage/osgi-config.js';
import {readStorageLayout} from '../../../source/engine/storage/layout.js';
import {runModeMatch} from '../../../source/engine/storage/config-files.js';
import {FDS_PID, SEGMENT_PID, writeStorageConfig} from '../../../source/demo/external-datastore.js';
import {tempDir} from '../../support/trees.js';

/**
 * The storage layout as AEM reads it (source/engine/storage/): Sling's file installer
 * over install/** with its run mode folders, Felix's launchpad/config copy, each file
 * in its own syntax, framework properties from sling.properties and bin/start.
 */
function quickstart(options: {runModes?: string; segmentstore?: boolean} = {}): string {
	const q = path.join(tempDir('crx-layout-'), 'AEM', 'crx-quickstart');
	fs.mkdirSync(path.join(q, 'install'), {recursive: true});
	if (options.segmentstore !== false) fs.mkdirSync(path.join(q, 'repository', 'segmentstore'), {recursive: true});
	if (options.runModes !== undefined) {
		fs.mkdirSync(path.join(q, 'conf'));
		fs.writeFileSync(path.join(q, 'conf', 'sling.properties'), `sling.run.modes=${options.runModes}\n`);
	}
	return q;
}
const fds = (q: string, where: 'install' | 'install-cfg' | 'install-json' | 'launchpad', values: Record<string, string | number | boolean>, folder?: string) =>
	writeStorageConfig(q, where, {[FDS_PID]: values}, {folder});

test('no configuration: the default layout, binaries in the segment store, nothing unknown', () => {
	const q = quickstart();
	expect(readStorageLayout(q)).toMatchObject({nodeStore: 'segment', binaries: 'segment', warnings: [], repositoryHome: path.join(q, 'repository')});
	expect(readStorageLayout(q).unknown).toBeUndefined();
});

test("subfolders of install/ are read, as Sling's file installer reads them: Adobe's cold-standby install/crx3/", () => {
	const q = quickstart();
	expect(fds(q, 'install', {path: '/mnt/cold/datastore'}, 'crx3')).toEqual([`install/crx3/${FDS_PID}.config`]);
	expect(readStorageLayout(q).datastore).toEqual({path: '/mnt/cold/datastore', external: true, configuredIn: path.join(q, 'install', 'crx3', `${FDS_PID}.config`)});
});

test('install.<runmodes>/ applies only under those run modes, and outranks install/ by the modes it matches', () => {
	const author = quickstart({runModes: 'author,crx3'});
	fds(author, 'install', {path: '/mnt/author-ds'}, 'install.author');
	expect(readStorageLayout(author).datastore?.path).toBe('/mnt/author-ds');
	fds(author, 'install', {path: '/mnt/everyone'});
	expect(readStorageLayout(author).datastore?.path).toBe('/mnt/author-ds'); // 100 + 1 beats 100
	fds(author, 'install', {path: '/mnt/author-crx3'}, 'install.author.crx3');
	expect(readStorageLayout(author).datastore?.path).toBe('/mnt/author-crx3'); // 100 + 2
	fds(author, 'install', {path: '/mnt/not-publish'}, 'install.publish');
	expect(readStorageLayout(author).datastore?.path).toBe('/mnt/author-crx3');

	const publish = quickstart({runModes: 'publish'});
	fds(publish, 'install', {path: '/mnt/author-ds'}, 'install.author');
	expect(readStorageLayout(publish).binaries).toBe('segment');
	expect(readStorageLayout(publish).unknown).toBeUndefined();

	// A run mode folder with no file naming the run modes: whether AEM applies it is not known.
	const unknown = quickstart();
	fds(unknown, 'install', {path: '/mnt/author-ds'}, 'install.author');
	expect(readStorageLayout(unknown).unknown).toEqual({sentence: expect.stringMatching(/install\.author\/.*applies only under run modes "author", and no file names this AEM's run modes/), datastoreOnly: true});
	// bin/start's CQ_RUNMODE names them too.
	fs.mkdirSync(path.join(unknown, 'bin'));
	fs.writeFileSync(path.join(unknown, 'bin', 'start'), "#!/bin/sh\nif [ -z \"$CQ_RUNMODE\" ]; then\n\tCQ_RUNMODE='author'\nfi\nCQ_JVM_OPTS=\"-Dsling.run.modes=${CQ_RUNMODE}\"\n");
	expect(readStorageLayout(unknown)).toMatchObject({datastore: {path: '/mnt/author-ds'}, runModes: ['author']});
	expect([runModeMatch('author.crx3,publish', new Set(['author', 'crx3'])), runModeMatch('author.-crx3', new Set(['author', 'crx3'])), runModeMatch('-publish', new Set(['author']))]).toEqual([2, 0, 1]);
});

test('two files of the same rank, or install/ and Felix\'s copy, that disagree leave the place unknown', () => {
	const q = quickstart({runModes: 'author,primary'});
	fds(q, 'install', {path: '/mnt/a'}, 'install.author');
	fds(q, 'install', {path: '/mnt/b'}, 'install.primary');
	expect(readStorageLayout(q).unknown?.sentence).toMatch(/install\.author\/.* and .*install\.primary\/.* both configure .*FileDataStore for this AEM and disagree/);

	const both = quickstart();
	fds(both, 'launchpad', {path: '/mnt/persisted'});
	expect(readStorageLayout(both).datastore?.path).toBe('/mnt/persisted');
	fds(both, 'install', {path: '/mnt/persisted'});
	expect(readStorageLayout(both).unknown).toBeUndefined(); // agreeing copies, as Adobe's guide keeps them
	fds(both, 'install', {path: 'crx-quickstart/repository/datastore'});
	expect(readStorageLayout(both).unknown?.sentence).toMatch(/and Felix's copy .*launchpad\/config\/org\/apache\/jackrabbit\/oak\/plugins\/blob\/datastore\/FileDataStore\.config disagree/);
});

test("a Felix value with an escaped space and a raw float; an unescaped space makes the file one AEM ignores", () => {
	const q = quickstart();
	fs.writeFileSync(path.join(q, 'install', `${FDS_PID}.config`), '# persisted\npath="/mnt/my\\ data"\ncacheRatio=F"1065353216"\nminRecordLength=I"4096"\n');
	expect(readStorageLayout(q).datastore?.path).toBe('/mnt/my data');
	fs.writeFileSync(path.join(q, 'install', `${FDS_PID}.config`), 'path="/mnt/my data"\nminRecordLength=I"4096"\n');
	const ignored = readStorageLayout(q);
	expect(ignored.binaries).toBe('segment');
	expect(ignored.warnings.join('\n')).toMatch(/FileDataStore\.config cannot be read the way AEM reads it \(no "=" after the key "data"\): AEM applies none of it/);
});

test('.cfg and .properties by java.util.Properties rules, .cfg.json by the configurator\'s', () => {
	const q = quickstart();
	fs.writeFileSync(path.join(q, 'install', `${FDS_PID}.cfg`), '# a comment\npath = /mnt/ds\\\n    -two\\ words\n');
	expect(readStorageLayout(q).datastore?.path).toBe('/mnt/ds-two words');
	fs.rmSync(path.join(q, 'install', `${FDS_PID}.cfg`));
	fs.mkdirSync(path.join(q, 'install', 'deep', 'er'), {recursive: true});
	fs.writeFileSync(path.join(q, 'install', 'deep', 'er', `${FDS_PID}.properties`), 'path:/mnt/props\n');
	expect(readStorageLayout(q).datastore?.path).toBe('/mnt/props');
	expect(parseJsonConfig('{\n // where\n "path:String": "/mnt/ds", "customBlobStore": true, "n": [1, 2] }').values).toEqual({path: '/mnt/ds', customBlobStore: true, n: [1, 2]});
	expect(parseJsonConfig('[1]').problems).toEqual(['not a JSON object']);
});

test('no path: <repository.home>/repository/datastore, the framework property first (bin/start over sling.properties), then the config', () => {
	const q = quickstart();
	const install = path.dirname(q);
	fds(q, 'install', {minRecordLength: 4096});
	// Sling's default repository.home is ${sling.home}/repository: the datastore AEM leaves in crx-quickstart/repository/repository/datastore.
	expect(readStorageLayout(q).datastore).toMatchObject({path: path.join(q, 'repository', 'repository', 'datastore'), external: false});
	fs.mkdirSync(path.join(q, 'conf'));
	fs.writeFileSync(path.join(q, 'conf', 'sling.properties'), 'repository.home=${sling.home}/repo2\n');
	expect(readStorageLayout(q).datastore?.path).toBe(path.join(q, 'repo2', 'repository', 'datastore'));
	fs.mkdirSync(path.join(q, 'bin'));
	fs.writeFileSync(path.join(q, 'bin', 'start'), "#!/bin/sh\nCQ_JVM_OPTS='-server -Drepository.home=/srv/home -Xmx4g'\n");
	expect(readStorageLayout(q).datastore).toMatchObject({path: '/srv/home/repository/datastore', external: true});
	// The configuration's own repository.home counts only without a framework property, and must agree with Sling's default.
	fs.rmSync(path.join(q, 'bin', 'start'));
	fs.rmSync(path.join(q, 'conf', 'sling.properties'));
	fds(q, 'install', {'repository.home': 'crx-quickstart/repository'});
	expect(readStorageLayout(q).datastore?.path).toBe(path.join(q, 'repository', 'repository', 'datastore'));
	fds(q, 'install', {'repository.home': '../elsewhere'});
	expect(readStorageLayout(q).unknown).toEqual({sentence: expect.stringMatching(/names no path and its own repository\.home .*elsewhere, while Sling's default is/), datastoreOnly: true});
	expect(path.dirname(install)).toBeTruthy();
});

test('refused layouts: a segment store outside crx-quickstart, none at all, MongoDB chosen by -Doak.mongo.uri in bin/start', () => {
	const outside = quickstart();
	writeStorageConfig(outside, 'install', {[SEGMENT_PID]: {'repository.home': '/srv/segments'}});
	expect(readStorageLayout(outside)).toMatchObject({remoteKind: 'segment-outside', remote: 'a segment store at /srv/segments/segmentstore, outside crx-quickstart', repositoryHome: '/srv/segments'});

	const missing = quickstart({segmentstore: false});
	expect(readStorageLayout(missing)).toMatchObject({remoteKind: 'segment-missing', remote: `no segment store at ${path.join(missing, 'repository', 'segmentstore')}`});
	// A link leading out of crx-quickstart is outside too.
	fs.mkdirSync(path.join(missing, 'repository'), {recursive: true});
	fs.symlinkSync(tempDir('crx-elsewhere-'), path.join(missing, 'repository', 'segmentstore'));
	expect(readStorageLayout(missing).remoteKind).toBe('segment-outside');

	const mongo = quickstart();
	fs.mkdirSync(path.join(mongo, 'bin'));
	fs.writeFileSync(path.join(mongo, 'bin', 'start'), '#!/bin/sh\nCQ_JVM_OPTS="-server -Doak.mongo.uri=mongodb://aem:pw@db:27017 -Doak.mongo.db=aem"\n');
	expect(readStorageLayout(mongo)).toMatchObject({nodeStore: 'document', remoteKind: 'document', remote: 'MongoDB at mongodb://aem:***@db:27017 (-Doak.mongo.* in crx-quickstart/bin/start)'});
});

test('a storage config crx-backup cannot read (a link, too big, JSON it reads more strictly than AEM) leaves the layout unknown', () => {
	const cases: Array<[string, (file: string) => void, RegExp]> = [
		[`${FDS_PID}.config`, file => fs.symlinkSync('/etc/passwd', file), /it is a symbolic link, which crx-backup does not follow/],
		[`${SEGMENT_PID}.config`, file => fs.writeFileSync(file, 'x'.repeat(70 * 1024)), /it is 71680 bytes, more than a configuration holds/],
		['org.apache.jackrabbit.oak.plugins.document.DocumentNodeStoreService.cfg.json', file => fs.writeFileSync(file, '{not json'), /and not valid JSON/],
		[`${FDS_PID}.cfg`, file => fs.writeFileSync(file, '<?xml version="1.0"?><properties/>'), /an XML properties file, which crx-backup does not read/],
	];
	for (const [name, make, why] of cases) {
		const q = quickstart();
		make(path.join(q, 'install', name));
		const layout = readStorageLayout(q);
		expect(layout.unknown?.sentence, name).toMatch(why);
		expect(layout.unknown?.sentence, name).toMatch(/so what AEM makes of it is not known\.$/);
	}
	// Other files are never followed nor read beyond 64 KiB either.
	const q = quickstart();
	fs.symlinkSync('/etc', path.join(q, 'install', 'crx3'));
	expect(readStorageLayout(q).unknown).toBeUndefined();
});

test('hostile framework files: references nested exponentially, a huge start script, a folder of many names: bounded, then not known or warned', () => {
	const q = quickstart();
	fs.mkdirSync(path.join(q, 'conf'));
	const levels = Array.from({length: 12}, (_, i) => `l${i}=${'${l' + (i + 1) + '}'.repeat(10)}`);
	fs.writeFileSync(path.join(q, 'conf', 'sling.properties'), `repository.home=\${l0}\n${levels.join('\n')}\nl12=x\n`);
	// 10^12 expansions would never end: the test's own timeout is the guard against a hang, not a clock here.
	expect(readStorageLayout(q).unknown?.sentence).toMatch(/repository\.home in crx-quickstart\/conf\/sling\.properties is "\$\{l0\}", which crx-backup cannot resolve/);
	fs.rmSync(path.join(q, 'conf', 'sling.properties'));
	fs.mkdirSync(path.join(q, 'bin'));
	fs.writeFileSync(path.join(q, 'bin', 'start'), `#!/bin/sh\n${'if if if then '.repeat(40_000)}\nCQ_JVM_OPTS="-Drepository.home=/srv/far"\n`);
	expect(readStorageLayout(q).unknown).toEqual({sentence: 'crx-quickstart/bin/start could not be read whole (see the warnings), so the framework properties AEM starts with are not known.', datastoreOnly: false});
	fs.writeFileSync(path.join(q, 'bin', 'start'), '#!/bin/sh\nCQ_JVM_OPTS="-Drepository.home=/srv/far"\n');
	expect(readStorageLayout(q).repositoryHome).toBe('/srv/far');
	for (let i = 0; i < 10_050; i++) fs.writeFileSync(path.join(q, 'install', `n${i}`), '');
	expect(readStorageLayout(q).warnings.join('\n')).toMatch(/holds more than 10000 entries: only the first were searched/);
});
