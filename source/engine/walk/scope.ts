/** The part of the tree a phase covers: only the datastore (phase B), or all but it (phase A). */
export interface PhaseScope {
	only?: string;
	skip?: string;
}

export const inScope = (rel: string, scope: PhaseScope) => (scope.only !== undefined
	? rel === scope.only || rel.startsWith(`${scope.only}/`)
	: !(scope.skip !== undefined && (rel === scope.skip || rel.startsWith(`${scope.skip}/`))));
