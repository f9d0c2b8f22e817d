import {afterEach, describe, expect, it, vi} from 'vitest';

// Make chalk colour even though the test's stdout is not a terminal, so the check below can fail.
vi.hoisted(() => {
	process.env.FORCE_COLOR = '1';
});

const {App} = await import('../../source/ui/app.js');
const {colourTheme, noColourTheme, themeFor} = await import('../../source/ui/theme.js');
const {FakeEngine, fakeRecord, fakeRepository} = await import('../support/fake-engine.js');
const {keys, renderAt, sendAndWait, tooWide, waitForFrame} = await import('../support/render.js');
type Rendered = import('../support/render.js').Rendered;

/** SGR colour parameters: 30–39, 40–49, 90–97, 100–107 (bold, dim and inverse are not colour). */
const colourCodes = (frame: string) => [...frame.matchAll(/\u001B\[([\d;]*)m/g)]
	.flatMap(match => match[1]!.split(';').map(Number))
	.filter(code => (code >= 30 && code <= 49) || (code >= 90 && code <= 107));

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

async function visitEverything(theme: typeof colourTheme, columns: number) {
	const engine = new FakeEngine({records: [fakeRecord('backup-20250301-1000-with-a-rather-long-name-to-truncate.zip'), fakeRecord('old', {status: 'incomplete', manifest: undefined})]});
	const repository = {...fakeRepository, quickstart: '/very/long/path/to/an/installation/of/adobe/experience/manager/author/instance/crx-quickstart'};
	const r = (rendered = renderAt(<App engine={engine} repository={repository} theme={theme} />, {columns, rows: 24}));
	await waitForFrame(r, 'Create backup');
	await sendAndWait(r, '?', 'Everywhere');
	await sendAndWait(r, '?', 'Repository');
	await sendAndWait(r, 'c', 'ready: Enter starts');
	// The fake backup runs on timers: on a loaded 2-core CI box 3 s was too tight.
	await sendAndWait(r, keys.enter, 'Backup complete  100%', 10_000);
	await sendAndWait(r, keys.enter, 'Status');
	await sendAndWait(r, 'v', 'Intact');
	await sendAndWait(r, 'r', 'Restore 2/5');
	await sendAndWait(r, keys.escape, 'Restore 1/5');
	rendered.unmount();
	rendered = undefined;
	return r.frames;
}

describe('NO_COLOR and width', () => {
	it('picks the no-colour theme from NO_COLOR', () => {
		expect(themeFor({NO_COLOR: '1'})).toBe(noColourTheme);
		expect(themeFor({NO_COLOR: ''})).toBe(colourTheme);
		expect(themeFor({})).toBe(colourTheme);
	});

	it('the colour theme does colour (the control for the next test)', async () => {
		const frames = await visitEverything(colourTheme, 80);
		expect(frames.some(frame => colourCodes(frame).length > 0)).toBe(true);
	});

	it('with no colour, no frame of any screen carries a colour code', async () => {
		const frames = await visitEverything(noColourTheme, 80);
		expect(frames.flatMap(colourCodes)).toEqual([]);
	});

	it.each([80, 120])('at %i columns no line of any frame is wider than the terminal', async columns => {
		const frames = await visitEverything(colourTheme, columns);
		expect(frames.flatMap(frame => tooWide(frame, columns))).toEqual([]);
	});
});
