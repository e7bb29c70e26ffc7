import { ENGINE_MIGRATIONS, ENGINE_VERSION, validateSavedGame } from '../engine/index';
import type { EngineCompat } from './saves/index';

/**
 * What this engine loads: its version, its migrations, and the check of a game's state (a save
 * that fails it is not loaded). On its own, so a save store can be opened (the title screen's
 * list) without loading the play session.
 */
export const ENGINE_COMPAT: EngineCompat = { version: ENGINE_VERSION, migrations: ENGINE_MIGRATIONS, validate: validateSavedGame };
