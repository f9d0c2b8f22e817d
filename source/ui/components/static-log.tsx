import {Box, Static} from 'ink';
import {createContext, useCallback, useContext, useRef, useState, type ReactNode} from 'react';
import {useColumns} from '../hooks/use-columns.js';

export interface LogItem {
	/** Unique for the session: an item with a known id is never written twice. */
	id: string;
	node: ReactNode;
}

type Append = (items: readonly LogItem[]) => void;

const StaticLogContext = createContext<Append>(() => {});

/** Writes items once, above the live frame (finished steps, the header of a job). */
export const useStaticLog = (): Append => useContext(StaticLogContext);

/**
 * The one <Static> of the app, mounted for its whole life. Ink 6.8 keeps a
 * reference to a <Static> after it unmounts and later reads its freed Yoga node,
 * which can allocate a garbage-sized frame and run out of memory
 * (https://github.com/vadimdemedes/ink/issues/904). So screens never render
 * <Static> themselves: they append here.
 */
export function StaticLogProvider({children}: {children: ReactNode}) {
	const columns = useColumns();
	const [items, setItems] = useState<LogItem[]>([]);
	const seen = useRef(new Set<string>());
	const append = useCallback<Append>(next => {
		const fresh = next.filter(item => !seen.current.has(item.id));
		if (fresh.length === 0) return;
		for (const item of fresh) seen.current.add(item.id);
		setItems(previous => [...previous, ...fresh]);
	}, []);
	return (
		<StaticLogContext.Provider value={append}>
			<Static items={items}>{item => <Box key={item.id} width={columns} flexDirection="column">{item.node}</Box>}</Static>
			{children}
		</StaticLogContext.Provider>
	);
}
