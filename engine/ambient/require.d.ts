/**
 * The engine is compiled once on its own, without Node's types (engine/tsconfig.json), so that
 * the compiler refuses any I/O, clock or process API. The one Node facility it keeps is loading
 * its own modules lazily (a chapter when it is played, the game when one starts): require of a
 * relative path, and nothing else.
 */
declare function require(id: `./${string}` | `../${string}`): any;
