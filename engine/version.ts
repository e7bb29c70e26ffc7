/** Bumped when the shape of GameState changes; saves name it (migrations.ts converts older ones). */
export const ENGINE_VERSION = 5;
