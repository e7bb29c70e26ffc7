/** Saves as the session and the front ends use them: slot names, the store and export files. */
export type { EngineCompat, SaveData } from './envelope';
export { AUTOSAVE_SLOT, checkSlotName } from './slotName';
export type { SaveInfo, SaveStore } from './store';
export { FsSaveStore } from './fsStore';
export { exportSave, importSave } from './exportFile';
