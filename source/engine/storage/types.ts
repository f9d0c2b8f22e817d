/** Where an AEM keeps its nodes and binaries, as its OSGi configuration says (see readStorageLayout). */
export interface StorageLayout {
	/** segment: TarMK files under repository/segmentstore; document: MongoDB (DocumentNodeStoreService). */
	nodeStore: 'segment' | 'document';
	/** `repository.home` as configured (or crx-quickstart/repository). */
	repositoryHome: string;
	/** Where binaries live: in the segment store, a FileDataStore, or a cloud store. */
	binaries: 'segment' | 'file' | 's3' | 'azure';
	/** A FileDataStore: its folder, whether it lies outside crx-quickstart, and the file that says so. */
	datastore?: {path: string; external: boolean; configuredIn: string};
	/** Storage no file copy captures (MongoDB, S3, Azure, a segment store outside crx-quickstart or none), named for a sentence; a MongoDB password is never in it. */
	remote?: string;
	/** What `remote` is, for the sentence that refuses it. */
	remoteKind?: 'document' | 'cloud' | 'segment-outside' | 'segment-missing';
	/**
	 * What AEM's files leave open (two configurations that disagree, a run mode folder
	 * with no known run modes, a property that cannot be resolved), in sentences: the
	 * backup refuses it. `datastoreOnly`: only the datastore's place is open, which --datastore settles.
	 */
	unknown?: {sentence: string; datastoreOnly: boolean};
	/** The run modes read from sling.properties and bin/start, when any file names them. */
	runModes?: string[];
	/** The configuration files read. */
	configFiles: string[];
	/** Configurations that could not be read (garbage, too big, a link): the layout may be incomplete. */
	warnings: string[];
}

/** The backup's top folder that holds an external FileDataStore, beside crx-quickstart/. */
export const EXTERNAL_DATASTORE = 'external-datastore';

/** What a manifest header records about the storage (formatVersion 1 readers ignore it). */
export interface ManifestStorage {
	nodeStore: StorageLayout['nodeStore'];
	binaries: StorageLayout['binaries'];
	/** The FileDataStore's folder as configured (or --datastore), when it lies outside crx-quickstart. */
	datastorePath?: string;
	/** True when the backup holds it under external-datastore/; false: left out (--no-external-datastore). */
	externalDatastoreIncluded?: boolean;
	/** The OSGi file that configured it, relative to crx-quickstart (what --point-config rewrites). */
	configuredIn?: string;
}
