import type {Engine, Repository} from '../engine/types.js';

/** The screens; app.tsx switches on `screen` (Ink's routing recipe: screens are just state). */
export type Route =
	| {screen: 'home'}
	| {screen: 'create'}
	| {screen: 'progress'}
	| {screen: 'backups'}
	| {screen: 'restore'; backup?: string}
	| {screen: 'drill'};

/** What every screen receives from the root. */
export interface ScreenProps {
	engine: Engine;
	repository: Repository;
	/** False while help (or another overlay) has the keyboard. */
	isActive: boolean;
	go: (route: Route) => void;
}

/** What the demo adds to Home: its datastore GC, and the quit prompt's warning that its folder goes. */
export interface DemoActions {
	runDatastoreGc: () => Promise<string[]>;
	/** The folder quitting deletes, with the demo's backups. */
	folder: string;
}
