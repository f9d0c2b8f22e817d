import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect} from 'vitest';
import {runCli} from './cli.js';
import {treeDigest} from './faults.js';

/**
 * Hostile backups built on the fly, and the checks every attack gets: a
 * sentinel tree around the restore folder unchanged, `verify` exit 1 and
 * `restore` exit 2 with one and the same sentence, nothing restored.
 */

export interface HostileEntry {
	name: string;
	/** File data, or a link's target. */
	text?: string;
	/** Full unix mode with type bits (0o100644 file, 0o040755 folder, 0o120777 link); none = MS-DOS host. */
	mode?: number;
}

export const file = (name: string, text = 'x', mode = 0o100644): HostileEntry => ({name, text, mode});
export const folder = (name: string, mode = 0o040755): HostileEntry => ({name: name.endsWith('/') ? name : `${name}/`, mode});
export const link = (name: string, target: string): HostileEntry => ({name, text: target, mode: 0o120777});

const script = `
import json, sys, warnings, zipfile
warnings.simplefilter('ignore')  # duplicate names are the point
spec = json.load(sys.stdin)
with zipfile.ZipFile(spec['zip'], 'w', zipfile.ZIP_DEFLATED) as z:
    for e in spec['entries']:
        info = zipfile.ZipInfo('x', date_time=(2026, 1, 1, 10, 0, 0))
        info.filename = e['name']  # as given: the constructor would tidy it
        info.orig_filename = e['name']
        if 'mode' in e:
            info.create_system = 3
            info.external_attr = (e['mode'] << 16) & 0xFFFFFFFF
        else:
            info.create_system = 0
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, e.get('text', '').encode())
`;

/** A zip exactly as listed (python's zipfile, names untouched), after a few ordinary entries so it looks like a backup. */
export function hostileZip(zip: string, entries: HostileEntry[], options: {padding?: boolean} = {}): string {
	const padding = options.padding === false ? [] : [
		folder('crx-quickstart'), folder('crx-quickstart/bin'), file('crx-quickstart/bin/start', '#!/bin/sh\n', 0o100755),
		folder('crx-quickstart/conf'), file('crx-quickstart/conf/sling.properties', 'a=b\n'),
		// `find` decides from the first entries whether a zip is a backup: the refusal must come from restore's own check.
		...Array.from({length: 6}, (_, index) => file(`crx-quickstart/conf/pad-${index}.properties`, 'a=b\n')),
	];
	fs.mkdirSync(path.dirname(zip), {recursive: true});
	execFileSync('python3', ['-c', script], {input: JSON.stringify({zip, entries: [...padding, ...entries]})});
	return zip;
}

/** A folder of siblings around where a restore will go: what an attack would reach. */
export function sentinelArea(root: string): {area: string; sibling: string; to: string; unchanged: () => void} {
	const area = path.join(root, 'area');
	const sibling = path.join(area, 'sibling');
	fs.mkdirSync(path.join(sibling, 'repository', 'index'), {recursive: true});
	fs.writeFileSync(path.join(sibling, 'precious.txt'), 'do not touch\n');
	fs.writeFileSync(path.join(sibling, 'repository', 'index', 'segment'), 'an index elsewhere\n');
	fs.writeFileSync(path.join(area, 'beside.txt'), 'beside the restore folder\n');
	// The restore folder's parent, with everything an attack aims at; the backup itself lies outside it.
	const before = treeDigest(area);
	return {area, sibling, to: path.join(area, 'to'), unchanged: () => expect(treeDigest(area)).toEqual(before)};
}

const UNSAFE = /is unsafe to restore: (.*); nothing was restored\.$/;

/**
 * Restore refuses (exit 2, one `crx-backup:` line, nothing written) and verify
 * reports the same sentence (exit 1); returns the sentence.
 */
export async function expectRefusedAlike(backup: string, to: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<string> {
	const restored = await runCli(['restore', backup, '--to', to, ...extra], {env});
	const lines = restored.stderr.split('\n').filter(line => line.startsWith('crx-backup:'));
	expect(lines, restored.stderr).toHaveLength(1);
	expect(restored.code, restored.stderr).toBe(2);
	const sentence = UNSAFE.exec(lines[0]!)?.[1];
	expect(sentence, lines[0]).toBeDefined();
	expect(fs.existsSync(to)).toBe(false);
	expect(fs.readdirSync(path.dirname(to)).filter(name => name.includes('restoring'))).toEqual([]);

	const verified = await runCli(['verify', backup, '--json'], {env});
	expect(verified.code, `${verified.stderr}${verified.stdout}`).toBe(1);
	const report = JSON.parse(verified.stdout) as {ok: boolean; problems: Array<{path: string; problem: string}>};
	expect(report.ok).toBe(false);
	expect(report.problems.map(problem => problem.problem)).toContain(`unsafe to restore: ${sentence}`);
	return sentence!;
}
