import {useInput, type Key} from 'ink';
import {createContext, useContext, useLayoutEffect, useRef, useState, type ReactNode} from 'react';
import {splitKeys, type KeyPress} from './split-keys.js';

/**
 * A listener's current state, read at keypress time. `handle` returns whether
 * it took the key. `root` listeners (help, quit, Ctrl+C) get a key only when no
 * screen listener took it, so a text field keeps its `q` and `?` stays global.
 */
export interface KeyListener {
	isActive: boolean;
	root?: boolean;
	/** A text field has focus: printable keys type into it. */
	takesText?: boolean;
	/**
	 * The screen cannot take keys yet (its list is loading): keys wait in order
	 * until it can, so `bd` deletes in Backups rather than dropping the `d`.
	 */
	busy?: boolean;
	handle: (input: string, key: Key) => boolean;
}

interface Dispatcher {
	register: (listener: {current: KeyListener}) => () => void;
	/** A busy listener became ready: deliver what waited. */
	resume: () => void;
}

const DispatcherContext = createContext<Dispatcher | undefined>(undefined);

/**
 * The one reader of the keyboard. Each key of a chunk is delivered on its own,
 * in order, and the next one only after React has committed what the previous
 * one did: a key typed right after one that changes the screen goes to the new
 * screen (its listener registers in a layout effect, before this effect runs).
 */
export function KeyDispatcher({children}: {children: ReactNode}) {
	const listeners = useRef(new Set<{current: KeyListener}>());
	const queue = useRef<KeyPress[]>([]);
	/** True from delivering a key until the commit after it. */
	const waiting = useRef(false);
	const [delivered, setDelivered] = useState(0);

	const deliverNext = () => {
		const active = [...listeners.current].map(ref => ref.current).filter(listener => listener.isActive);
		if (active.some(listener => listener.busy && !listener.root)) return;
		const first = queue.current.shift();
		if (!first) return;
		waiting.current = true;
		setDelivered(count => count + 1);
		// Typing into a field changes no screen, so a run of text and Backspace is delivered in
		// one go (a paste of a path is one render, not one per character); other keys wait for the commit.
		const batch = [first];
		if (active.some(listener => listener.takesText && !listener.root) && editsText(first)) {
			while (queue.current[0] && editsText(queue.current[0])) batch.push(queue.current.shift()!);
		}
		for (const press of batch) deliver(active, press);
	};

	useInput((input, key) => {
		const presses = splitKeys(input, key);
		// Ctrl+C never waits behind a busy screen or a long paste: it is the way out.
		// Each of them counts: two in one read are the double Ctrl+C that forces the quit.
		const interrupts = presses.filter(press => press.key.ctrl && press.input === 'c');
		if (interrupts.length > 0) {
			queue.current = [];
			for (const interrupt of interrupts) deliver([...listeners.current].map(ref => ref.current).filter(listener => listener.isActive && listener.root), interrupt);
			return;
		}
		queue.current.push(...presses);
		if (!waiting.current) deliverNext();
	});
	// A layout effect runs right after the commit, after the new screen's listeners registered
	// (theirs are layout effects too, and children's run first). The next key goes out on the
	// next turn of the event loop, not from inside the commit: a long paste must not nest updates.
	useLayoutEffect(() => {
		const timer = setImmediate(() => {
			waiting.current = false;
			deliverNext();
		});
		return () => clearImmediate(timer);
	}, [delivered]);

	const latestDeliverNext = useRef(deliverNext);
	latestDeliverNext.current = deliverNext;
	// One object for the app's life, so listeners never re-register (and keep their order).
	const [dispatcher] = useState<Dispatcher>(() => ({
		register(listener) {
			listeners.current.add(listener);
			return () => listeners.current.delete(listener);
		},
		resume() {
			if (!waiting.current) latestDeliverNext.current();
		},
	}));
	return <DispatcherContext.Provider value={dispatcher}>{children}</DispatcherContext.Provider>;
}

function deliver(active: readonly KeyListener[], {input, key}: KeyPress): void {
	let taken = false;
	for (const listener of active.filter(listener => !listener.root)) taken = listener.handle(input, key) || taken;
	if (taken) return;
	for (const listener of active.filter(listener => listener.root)) listener.handle(input, key);
}

/** A printable character or Backspace: what a text field takes without leaving the screen. */
function editsText({input, key}: KeyPress): boolean {
	if (key.backspace || key.delete) return true;
	if (key.ctrl || key.meta || key.escape || key.return || key.tab || input === '') return false;
	return !/[\u0000-\u001F\u007F?]/.test(input);
}

/** Subscribes a listener for the component's life; `listener` is read fresh at every key. */
export function useKeyListener(listener: KeyListener): void {
	const dispatcher = useContext(DispatcherContext);
	if (!dispatcher) throw new Error('useKeyListener needs a <KeyDispatcher> above it (app.tsx has one).');
	const latest = useRef(listener);
	latest.current = listener;
	useLayoutEffect(() => dispatcher.register(latest), [dispatcher]);
	const ready = listener.isActive && !listener.busy;
	useLayoutEffect(() => {
		if (ready) setImmediate(dispatcher.resume);
	}, [dispatcher, ready]);
}
