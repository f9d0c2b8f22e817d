import {commandNames, commandUsage, flagOf, optionsOf, type CommandName, type Front, type RegistryEntry} from '../engine/options/index.js';

/** --help, drawn from the option registry: a command lists exactly the flags it takes, each with its one line. */

const width = 100;
const flagColumn = 30;

/** `text` in lines of at most `room` characters, broken at spaces. */
function wrap(text: string, room: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line !== '' && line.length + 1 + word.length > room) {
			lines.push(line);
			line = word;
		} else line = line === '' ? word : `${line} ${word}`;
	}
	return [...lines, line];
}

/** Two columns: a name, and its text wrapped beside it (below it, when the name is too long). */
function columns(name: string, text: string): string[] {
	const indent = ' '.repeat(flagColumn);
	const [first, ...rest] = wrap(text, width - flagColumn);
	const head = `    ${name}`;
	const lines = head.length + 2 <= flagColumn ? [`${head.padEnd(flagColumn)}${first}`] : [head, `${indent}${first}`];
	return [...lines, ...rest.map(line => `${indent}${line}`)];
}

/** An option's line for a front: its own line there, whole, or the common one with the default it states. */
export const optionText = (entry: RegistryEntry, front: Front): string =>
	entry.helpFor?.[front] ?? `${entry.help}${entry.kind === 'string' && typeof entry.default === 'string' ? ` (default: ${entry.default})` : ''}`;

export const optionName = (entry: RegistryEntry): string => `${flagOf(entry)}${entry.value ? ` ${entry.value}` : ''}`;

const options = (front: Front) => optionsOf(front).flatMap(entry => columns(optionName(entry), optionText(entry, front)));

const exitCodes = '  Exit codes: 0 done, 1 failed, 2 bad usage or input (nothing written), 130 cancelled.';

function commandHelp(name: CommandName): string {
	const {args, summary} = commandUsage[name];
	return [
		'',
		...wrap(`crx-backup ${name}: ${summary}.`, width - 2).map(line => `  ${line}`),
		'',
		'  Usage',
		`    $ crx-backup ${name}${args ? ` ${args}` : ''} [options]`,
		'',
		'  Options',
		...options(name),
		'',
		exitCodes,
		'',
	].join('\n');
}

function globalHelp(): string {
	return [
		'',
		'  crx-backup: online backup and restore of an AEM crx-quickstart folder.',
		'',
		'  Usage',
		...columns('$ crx-backup [options]', 'the terminal UI (needs a terminal); its forms start with the options below'),
		...columns('$ crx-backup --demo', 'the terminal UI on a demo repository under load'),
		...columns('$ crx-backup COMMAND …', 'one command, headless (cron, scripts)'),
		'',
		'  Commands',
		...commandNames.flatMap(name => columns(`${name}${commandUsage[name].args ? ` ${commandUsage[name].args}` : ''}`, commandUsage[name].summary)),
		'',
		...wrap('crx-backup COMMAND --help lists the flags COMMAND takes; a flag a command does not take is refused (exit 2).', width - 2).map(line => `  ${line}`),
		'',
		'  Options of the terminal UI',
		...options('tui'),
		'',
		exitCodes,
		'',
	].join('\n');
}

/** `crx-backup --help` (the terminal UI's front: the commands and the UI's own flags) or `crx-backup COMMAND --help`. */
export const helpText = (front: Front): string => (front === 'tui' ? globalHelp() : commandHelp(front));
