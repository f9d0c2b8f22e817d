import {Text} from 'ink';
import {useState} from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {useAsyncValue} from '../../source/ui/hooks/use-async-value.js';
import {renderAt, type Rendered} from '../support/render.js';

/**
 * Found by the tmux suite (test/e2e/tui-edit-resync.test.ts, about 1 run in 4):
 * Ctrl+U on Create Backup's Delay crashed the TUI. The debounced load fired after
 * the render that emptied the field (its inputs no longer parse) but before that
 * render's effect cleared the timer, and it called the NEWER render's load:
 * `exclude!.length` of undefined. A timer must run the load of the key it was set for.
 */
let rendered: Rendered | undefined;
afterEach(() => {
	rendered?.unmount();
	rendered = undefined;
	vi.useRealTimers();
});

function Probe({input, load}: {input: string | undefined; load: () => Promise<string>}) {
	const value = useAsyncValue(input, load, 150);
	return <Text>{value.value ?? (input === undefined ? 'empty' : 'typed')}</Text>;
}

let setInput: (input: string | undefined) => void = () => undefined;

describe('useAsyncValue', () => {
	it("a debounced load that fires before the next render's effect runs the load of its own key", async () => {
		// Only setTimeout is faked: React's scheduler still runs the passive effects in a later task.
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		const calls: string[] = [];
		const loadFor = (input: string | undefined) => async () => {
			calls.push(String(input));
			if (input === undefined) throw new TypeError("Cannot read properties of undefined (reading 'length')");
			return `loaded ${input}`;
		};
		function Host() {
			const [input, set] = useState<string | undefined>('5');
			setInput = set;
			return <Probe input={input} load={loadFor(input)} />;
		}
		rendered = renderAt(<Host />);
		await vi.waitFor(() => expect(rendered!.lastFrame()).toContain('typed'));
		// The field is emptied: at the frame of that render (committed, its effects not run yet) the timer of "5" fires.
		rendered.stdout.once('frame', () => vi.advanceTimersByTime(200));
		setInput(undefined);
		await vi.waitFor(() => expect(rendered!.lastFrame()).toContain('empty'));
		await new Promise(resolve => setImmediate(resolve));
		expect(calls).not.toContain('undefined');
	});
});
