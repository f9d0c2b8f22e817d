import {useEffect, useRef, useState} from 'react';

export interface SettledEnter {
	/** Enter's handler: acts now when the checks have settled, else once they have. */
	press: () => void;
	/** Enter is waiting for the checks: the screen's keys wait too (useKeymap's `busy`), so none is lost or lands early. */
	waiting: boolean;
}

/**
 * Enter on a form whose checks still run (typed ahead in one write: `name.zip Tab 5
 * Enter`) waits for them and then acts on their verdict, instead of being dropped.
 * `act` is read when it runs, so it sees the settled checks; it decides itself
 * whether the verdict lets it go on (and says why not).
 */
export function useSettledEnter(settling: boolean, act: () => void): SettledEnter {
	const [waiting, setWaiting] = useState(false);
	const latestAct = useRef(act);
	latestAct.current = act;
	useEffect(() => {
		if (!waiting || settling) return;
		setWaiting(false);
		latestAct.current();
	}, [waiting, settling]);
	return {press: () => (settling ? setWaiting(true) : act()), waiting};
}
