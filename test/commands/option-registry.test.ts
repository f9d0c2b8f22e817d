import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {meowFlags, withDefaults} from '../../source/commands/flags.js';
import {optionName, optionText} from '../../source/commands/help.js';
import {backupOptionRules} from '../../source/engine/options/check.js';
import {commandNames, flagOf, fronts, type Front} from '../../source/engine/options/option.js';
import {optionEntries, optionsOf, refusalOf, type RegistryEntry} from '../../source/engine/options/registry.js';
import {demoPrefill} from '../../source/ui/demo.js';
import {backupOptionDescriptors, restoreOptionDescriptors, type OptionDescriptor} from '../../source/ui/options/descriptors.js';
import {prefillFromFlags} from '../../source/ui/options/prefill.js';
import {projectRoot, runCli} from '../support/cli.js';

/**
 * One option registry (source/engine/options/): every flag is declared once, and
 * meow's flags, `--help` (global and per command), the TUI's descriptors and
 * the refusal of a flag a command does not take all come from it and agree.
 */

/** The registry entries a flag as typed names (--no-external-datastore names externalDatastore). */
const entriesOf = (flag: string): RegistryEntry[] => optionEntries.filter(entry => flagOf(entry) === flag);

/** The flags `--help` lists, in order, with each one's text (its wrapped lines joined). */
function listedOptions(help: string): Array<{flag: string; name: string; text: string}> {
	const section = help.split('\n');
	const start = section.findIndex(line => /^ {2}Options/.test(line));
	const end = section.findIndex((line, index) => index > start && /^ {2}Exit codes/.test(line));
	const listed: Array<{flag: string; name: string; text: string}> = [];
	for (const line of section.slice(start + 1, end)) {
		const head = /^ {4}(--[a-z-]+)( \S+)?(?: {2,}(.*))?$/.exec(line);
		if (head) listed.push({flag: head[1]!, name: `${head[1]}${head[2] ?? ''}`, text: head[3] ?? ''});
		else if (line.trim() !== '') listed.at(-1)!.text = `${listed.at(-1)!.text} ${line.trim()}`.trim();
	}
	return listed;
}

const helpOf = async (front: Front) => runCli(front === 'tui' ? ['--help'] : [front, '--help']);

describe('the option registry', () => {
	it('declares every option once: one key, one flag, taken by at least one front', () => {
		const keys = optionEntries.map(entry => entry.key);
		expect(new Set(keys).size).toBe(keys.length);
		const flags = optionEntries.map(entry => flagOf(entry));
		expect(new Set(flags).size).toBe(flags.length);
		for (const entry of optionEntries) {
			expect(entry.commands.length, entry.key).toBeGreaterThan(0);
			for (const front of entry.commands) expect(fronts, entry.key).toContain(front);
			expect(entry.help.trim(), entry.key).not.toBe('');
			expect(entry.help, `${entry.key}: one line`).not.toContain('\n');
		}
	});

	it("is meow's flag list: the same keys, each parsed as its kind", () => {
		expect(Object.keys(meowFlags).sort()).toEqual(optionEntries.map(entry => entry.key).sort());
		for (const entry of optionEntries) {
			const spec = meowFlags[entry.key] as {type: string; isMultiple?: boolean};
			expect([entry.key, spec.type, spec.isMultiple === true]).toEqual([entry.key, entry.kind === 'list' ? 'string' : entry.kind, entry.kind === 'list']);
		}
	});

	it('fills in the defaults of what was not given, and leaves a value not given out (a spread of the flags erases nothing)', () => {
		const flags = withDefaults({demo: true, exclude: []});
		expect([flags.demo, flags.force, flags.externalDatastore, flags.exclude, 'aem' in flags, 'freezeCmd' in flags]).toEqual([true, false, true, [], false, false]);
		// The demo's own freeze (its fake AEM) stays in the Create form when the command line gave none.
		const session = {freezeCmd: 'freeze', thawCmd: 'thaw', aem: 'http://localhost:4502'};
		expect(demoPrefill(session, prefillFromFlags(flags).backup)).toMatchObject({aem: 'http://localhost:4502'});
		expect(demoPrefill({...session, aem: undefined}, prefillFromFlags(flags).backup)).toMatchObject({freezeCmd: 'freeze', thawCmd: 'thaw'});
	});

	it('gives every rule of the backup\'s options to an option of the registry the backup takes', () => {
		for (const key of Object.keys(backupOptionRules)) {
			expect(optionEntries.find(entry => entry.key === key)?.commands, key).toContain('backup');
		}
	});

	it('refuses exactly the flags a front does not take, in one sentence naming the front and the flag', () => {
		for (const front of fronts) {
			for (const entry of optionEntries) {
				const refusal = refusalOf(front, [entry.key]);
				if (entry.commands.includes(front)) expect(refusal, `${front} ${flagOf(entry)}`).toBeUndefined();
				else {
					expect(refusal, `${front} ${flagOf(entry)}`).toMatch(/^[^\n]+\.$/);
					expect(refusal).toContain(flagOf(entry));
					if (!entry.refusalFor?.[front]) expect(refusal).toBe(`${front === 'tui' ? 'the terminal UI' : front} does not take ${flagOf(entry)}; see crx-backup ${front === 'tui' ? '' : `${front} `}--help.`);
				}
			}
		}
	});
});

describe('the TUI\'s option descriptors are the registry\'s', () => {
	const forms: Array<['backup' | 'restore', readonly OptionDescriptor[]]> = [['backup', backupOptionDescriptors], ['restore', restoreOptionDescriptors]];
	for (const [form, descriptors] of forms) {
		it(`${form}: every option the registry gives a ${form} field, once, with its flag, label, help and kind`, () => {
			const offered = optionEntries.filter(entry => entry.tui?.[form]);
			expect(descriptors.map(descriptor => descriptor.flag).sort()).toEqual(offered.map(entry => flagOf(entry)).sort());
			for (const descriptor of descriptors) {
				const [entry, ...others] = entriesOf(descriptor.flag);
				expect(others, descriptor.flag).toEqual([]);
				const field = entry!.tui![form]!;
				expect(descriptor).toEqual({
					key: entry!.kind === 'boolean' && entry!.default === true ? `no${entry!.key[0]!.toUpperCase()}${entry!.key.slice(1)}` : entry!.key,
					flag: flagOf(entry!), label: field.label, help: field.help,
					kind: entry!.kind === 'boolean' ? 'toggle' : entry!.kind === 'list' ? 'list' : 'text',
					...(field.suffix ? {suffix: field.suffix} : {}), ...(field.always ? {always: true} : {}), ...(field.group ? {group: field.group} : {}),
				});
				// The Create form's Options section lists every option under a heading; only Delay, always shown, has none.
				if (form === 'backup') expect(Boolean(field.group), descriptor.flag).toBe(!field.always);
				// What a form offers, the TUI takes on its command line too (it prefills the form).
				expect(entry!.commands, descriptor.flag).toContain('tui');
			}
		});
	}
});

describe('--help is the registry\'s, per command', () => {
	for (const front of fronts) {
		it(`${front === 'tui' ? 'crx-backup --help (the terminal UI)' : `crx-backup ${front} --help`} lists exactly the flags it takes, once each, with their line`, async () => {
			const result = await helpOf(front);
			expect(result.code, result.stderr).toBe(0);
			expect(result.stderr).toBe('');
			const listed = listedOptions(result.stdout);
			const takes = optionsOf(front);
			expect(listed.map(option => option.flag)).toEqual(takes.map(entry => flagOf(entry)));
			for (const [index, option] of listed.entries()) {
				expect(entriesOf(option.flag), option.flag).toHaveLength(1);
				expect(option.name).toBe(optionName(takes[index]!));
				expect(option.text).toBe(optionText(takes[index]!, front));
			}
			expect(result.stdout).toMatch(front === 'tui' ? /\$ crx-backup \[options\]/ : new RegExp(`\\$ crx-backup ${front}( |\\n)`));
		});
	}

	it('crx-backup --help names every command, and how to see its flags', async () => {
		const {stdout} = await helpOf('tui');
		for (const name of commandNames) expect(stdout).toMatch(new RegExp(`^ {4}${name}( |$)`, 'm'));
		expect(stdout).toContain('crx-backup COMMAND --help lists the flags COMMAND takes');
	});

	it('--help wins over the rest of the line: nothing runs, exit 0', async () => {
		const result = await runCli(['delete', '/nonexistent/backup.zip', '--yes', '--help']);
		expect([result.code, result.stderr]).toEqual([0, '']);
		expect(result.stdout).toContain('crx-backup delete BACKUP [options]');
	});
});

describe("README's Commands block", () => {
	it('gives each command only flags it takes', () => {
		const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
		const block = /## Commands\n\n```\n([\s\S]*?)```/.exec(readme)![1]!;
		let front: Front | undefined;
		let checked = 0;
		for (const line of block.split('\n')) {
			const head = /^crx-backup (\S+)/.exec(line);
			if (head) front = head[1]!.startsWith('[') ? 'tui' : (commandNames as readonly string[]).includes(head[1]!) ? head[1] as Front : undefined;
			if (!front) continue;
			// --keep-* and --keep-last|-hourly|… name the rules together.
			for (const [flag] of line.replace(/--keep-\*/g, '').matchAll(/--[a-z]+(?:-[a-z]+)*/g)) {
				expect(entriesOf(flag).map(entry => entry.commands.includes(front!)), `${front} ${flag}`).toEqual([true]);
				checked++;
			}
		}
		expect(checked).toBeGreaterThan(50);
	});
});
