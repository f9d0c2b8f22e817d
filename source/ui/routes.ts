import type {Engine, Repository} from '../engine/types.js';

/** The screens; app.tsx switches on `screen` (Ink's routing recipe: screens are just state). */
export type Route =
	| {screen: 'home'}
	| {screen: 'create'}
	| {screen: 'progress'}
	| {screen: 'backups'}
	| {screen: 'restore'; backup?: string};

/** What every screen receives from the root. */
export interface ScreenProps {
	engine: Engine;
	repository: Repository;
	/** False while help (or another overlay) has the keyboard. */
	isActive: boolean;
	go: (route: Route) => void;
}
