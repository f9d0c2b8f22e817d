import {Box} from 'ink';
import {afterEach, expect, test} from 'vitest';
import {Confirm} from '../../source/ui/components/confirm.js';
import {FieldRow} from '../../source/ui/components/field-row.js';
import {Pending} from '../../source/ui/components/pending.js';
import {MethodField} from '../../source/ui/components/method-field.js';
import {TextField} from '../../source/ui/components/text-field.js';
import {renderAt, stripAnsi, waitForFrame, type Rendered} from '../support/render.js';

/**
 * Sentences outside the screens' own rows (a y/N question, a field's refusal, the method's note) wrap at whole
 * words with no line starting with a space. Ink's own wrap kept the space it broke at whenever a word ended on
 * the last column, so the next line began " and nothing …". Each text here ends a word on exactly that column.
 */
let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

const size = {columns: 60, rows: 20};
const lines = (frame: string) => stripAnsi(frame).split('\n').filter(line => line.trim() !== '');

test('at 60 columns the y/N question wraps at a word and its next line starts with that word', async () => {
	rendered = renderAt(<Confirm question="Delete backup-20250301-1000.zip? Its 12 files go for good, and nothing brings them back." />, size);
	const frame = await waitForFrame(rendered, '[y/N]');
	expect(lines(frame)).toEqual([
		'⚠ Delete backup-20250301-1000.zip? Its 12 files go for good,',
		'and nothing brings them back. [y/N]',
	]);
});

test('at 60 columns a field\'s refusal, inside a margin, wraps under itself with no leading space', async () => {
	const value = {text: 'busy', cursor: 4};
	const reason = 'the folder holds 12 entries: a restore goes into a new or empty folder only, never over files';
	// Margin 2 and a label column of 8: the refusal has 50 columns, and "into" ends on the 50th.
	rendered = renderAt(<Box marginLeft={2}><TextField label="Folder" value={value} focused={false} reason={reason} labelWidth={8} inset={2} /></Box>, size);
	const frame = await waitForFrame(rendered, 'never over files');
	expect(lines(frame).slice(1)).toEqual([
		`${' '.repeat(10)}✖ the folder holds 12 entries: a restore goes into`,
		`${' '.repeat(10)}a new or empty folder only, never over files`,
	]);
});

test('at 60 columns the method\'s note under the Create form\'s Method field starts every line at its column', async () => {
	rendered = renderAt(<Box marginLeft={2}><MethodField choice={{method: 'snapshot', checking: false, cycle: () => undefined}} labelWidth={8} inset={2} /></Box>, size);
	const frame = await waitForFrame(rendered, 'meanwhile');
	const note = lines(frame).slice(1);
	expect(note.length).toBeGreaterThan(1);
	for (const line of note) expect(line, frame).toMatch(/^ {10}\S/);
	expect(note.map(line => line.trim()).join(' ')).toBe('writes blocked only across the snapshot (ms); no downtime; disk for what changes meanwhile');
});

test('at 60 columns a field\'s error (Home\'s size, AEM\'s answer) wraps under its value column with no leading space', async () => {
	// A label column of 14 leaves 46: "all:" ends on the 46th column.
	const error = 'the repository could not be measured at all: permission denied on conf/ and logs/';
	rendered = renderAt(<FieldRow label="Size"><Pending loading={false} error={error} /></FieldRow>, size);
	const frame = await waitForFrame(rendered, 'logs/');
	const rows = lines(frame);
	expect(rows.length).toBeGreaterThan(1);
	expect(rows[0]).toMatch(/^Size {10}✖ the repository/);
	for (const line of rows.slice(1)) expect(line, frame).toMatch(/^ {14}\S/);
});
