/** Saves: the on-disk format, slot names, the store and export files. */
export * from './envelope';
export * from './slotName';
export * from './store';
export { FsSaveStore, defaultSavesDir, projectRoot, SaveWriteError, BACKUP_EXTENSION, SAVE_EXTENSION, type FsSaveStoreOptions } from './fsStore';
export { exportSave, importSave, type ImportOptions, type ImportResult } from './exportFile';
export { writeFileDurable, fsyncDir } from './durable';
